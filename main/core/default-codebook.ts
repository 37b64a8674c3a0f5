import type { Code } from '../../shared/model';

/**
 * The codebook a new project starts with: the three codes our user named, with sub-codes
 * grounded in the bundled articles. A starting point the user edits; ids are stable so that
 * exports from different machines agree.
 */
type Seed = { id: string; name: string; color: string; description: string; children: { id: string; name: string; description: string }[] };

const seeds: Seed[] = [
  {
    id: 'repression-tactic',
    name: 'Repression tactic',
    color: '#c0392b',
    description: 'A means by which the state controls, punishes or deters defectors and their families.',
    children: [
      { id: 'surveillance', name: 'Surveillance', description: 'Watching, monitoring or informant networks aimed at families.' },
      { id: 'interrogation', name: 'Interrogation', description: 'Questioning, detention for questioning, or torture to extract information.' },
      { id: 'banishment-relocation', name: 'Banishment and relocation', description: 'Exile or forced moves of relatives to remote areas.' },
      { id: 'prison-camps-collective-punishment', name: 'Prison camps and collective punishment', description: 'Labour or political camps, and punishment of relatives for a defector’s act.' },
      { id: 'threats-of-execution', name: 'Threats of execution', description: 'Warnings or threats of death for defecting or helping defectors.' },
      { id: 'family-as-hostage', name: 'Family held as hostage', description: 'Relatives used as leverage to make defectors return, stay silent or cooperate.' },
      { id: 'background-checks', name: 'Background checks', description: 'Investigations of families, records or “missing” persons to identify defectors.' },
    ],
  },
  {
    id: 'economic-change',
    name: 'Economic change',
    color: '#1e8449',
    description: 'Money, markets and material life as they shape how families of defectors fare.',
    children: [
      { id: 'remittances', name: 'Remittances', description: 'Money sent by defectors to relatives still in the North.' },
      { id: 'bribery', name: 'Bribery', description: 'Payments to officials to avoid punishment, gain information or move people.' },
      { id: 'smuggling-cross-border-trade', name: 'Smuggling and cross-border trade', description: 'Goods, phones or people moved across the border, legally or not.' },
      { id: 'new-wealth-status', name: 'New wealth and status of defectors’ families', description: 'Families whose standing rises through money from abroad.' },
      { id: 'officials-support-relatives', name: 'Officials supporting poor relatives', description: 'Officials and businessmen paying to keep relatives from fleeing.' },
    ],
  },
  {
    id: 'source-reliability',
    name: 'Source reliability',
    color: '#2e6fb7',
    description: 'Where a claim comes from and how far it can be trusted.',
    children: [
      { id: 'named-source', name: 'Named source', description: 'A source identified by name.' },
      { id: 'anonymous-source', name: 'Anonymous source', description: 'A source who is not named, often for safety.' },
      { id: 'second-hand-report', name: 'Second-hand report', description: 'A claim passed on from someone else.' },
      { id: 'unconfirmed-report', name: 'Unconfirmed report', description: 'A claim the article says could not be verified.' },
      { id: 'state-media', name: 'State media', description: 'North Korean official media or statements.' },
      { id: 'ngo-rights-group', name: 'NGO or rights group', description: 'Advocacy groups, NGOs or human-rights organisations.' },
      { id: 'first-person-testimony', name: 'First-person testimony', description: 'A defector or witness speaking of their own experience.' },
    ],
  },
];

/** Lightens a `#rrggbb` colour towards white by `amount` (0–1), giving sub-codes a related hue. */
function tint(hex: string, amount: number): string {
  const n = parseInt(hex.slice(1), 16);
  const ch = (shift: number): string => {
    const c = (n >> shift) & 0xff;
    return Math.round(c + (255 - c) * amount).toString(16).padStart(2, '0');
  };
  return `#${ch(16)}${ch(8)}${ch(0)}`;
}

/** The default codebook, parents before children. */
export function defaultCodes(): Code[] {
  const codes: Code[] = [];
  for (const s of seeds) {
    codes.push({ id: s.id, name: s.name, color: s.color, description: s.description, parentId: null });
    s.children.forEach((c, i) => codes.push({ id: `${s.id}.${c.id}`, name: c.name, color: tint(s.color, 0.12 + 0.06 * (i % 4)), description: c.description, parentId: s.id }));
  }
  return codes;
}
