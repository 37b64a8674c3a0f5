import type { Code } from '../../shared/model';

/**
 * The codebook a new project starts with: the three codes our user named, with sub-codes
 * grounded in the bundled articles. A starting point the user edits; ids are stable so that
 * exports from different machines agree. Every code has its own colour (sub-codes keep to their
 * parent's family of hues), so overlapping passages stay distinguishable.
 */
type Seed = { id: string; name: string; color: string; description: string; children: { id: string; name: string; color: string; description: string }[] };

const seeds: Seed[] = [
  {
    id: 'repression-tactic',
    name: 'Repression tactic',
    color: '#c0392b',
    description: 'A means by which the state controls, punishes or deters defectors and their families.',
    children: [
      { id: 'surveillance', name: 'Surveillance', color: '#d35400', description: 'Watching, monitoring or informant networks aimed at families.' },
      { id: 'interrogation', name: 'Interrogation', color: '#922b21', description: 'Questioning, detention for questioning, or torture to extract information.' },
      { id: 'banishment-relocation', name: 'Banishment and relocation', color: '#af7ac5', description: 'Exile or forced moves of relatives to remote areas.' },
      { id: 'prison-camps-collective-punishment', name: 'Prison camps and collective punishment', color: '#6c3483', description: 'Labour or political camps, and punishment of relatives for a defector’s act.' },
      { id: 'threats-of-execution', name: 'Threats of execution', color: '#e74c3c', description: 'Warnings or threats of death for defecting or helping defectors.' },
      { id: 'family-as-hostage', name: 'Family held as hostage', color: '#c2185b', description: 'Relatives used as leverage to make defectors return, stay silent or cooperate.' },
      { id: 'background-checks', name: 'Background checks', color: '#b9770e', description: 'Investigations of families, records or “missing” persons to identify defectors.' },
    ],
  },
  {
    id: 'economic-change',
    name: 'Economic change',
    color: '#1e8449',
    description: 'Money, markets and material life as they shape how families of defectors fare.',
    children: [
      { id: 'remittances', name: 'Remittances', color: '#27ae60', description: 'Money sent by defectors to relatives still in the North.' },
      { id: 'bribery', name: 'Bribery', color: '#0e6655', description: 'Payments to officials to avoid punishment, gain information or move people.' },
      { id: 'smuggling-cross-border-trade', name: 'Smuggling and cross-border trade', color: '#7dcea0', description: 'Goods, phones or people moved across the border, legally or not.' },
      { id: 'new-wealth-status', name: 'New wealth and status of defectors’ families', color: '#9a7d0a', description: 'Families whose standing rises through money from abroad.' },
      { id: 'officials-support-relatives', name: 'Officials supporting poor relatives', color: '#16a085', description: 'Officials and businessmen paying to keep relatives from fleeing.' },
    ],
  },
  {
    id: 'source-reliability',
    name: 'Source reliability',
    color: '#2e6fb7',
    description: 'Where a claim comes from and how far it can be trusted.',
    children: [
      { id: 'named-source', name: 'Named source', color: '#1f618d', description: 'A source identified by name.' },
      { id: 'anonymous-source', name: 'Anonymous source', color: '#5dade2', description: 'A source who is not named, often for safety.' },
      { id: 'second-hand-report', name: 'Second-hand report', color: '#2e4053', description: 'A claim passed on from someone else.' },
      { id: 'unconfirmed-report', name: 'Unconfirmed report', color: '#85929e', description: 'A claim the article says could not be verified.' },
      { id: 'state-media', name: 'State media', color: '#0097a7', description: 'North Korean official media or statements.' },
      { id: 'ngo-rights-group', name: 'NGO or rights group', color: '#3949ab', description: 'Advocacy groups, NGOs or human-rights organisations.' },
      { id: 'first-person-testimony', name: 'First-person testimony', color: '#1565c0', description: 'A defector or witness speaking of their own experience.' },
    ],
  },
];

/** The default codebook, parents before children. */
export function defaultCodes(): Code[] {
  const codes: Code[] = [];
  for (const s of seeds) {
    codes.push({ id: s.id, name: s.name, color: s.color, description: s.description, parentId: null, slot: codes.length });
    for (const c of s.children) codes.push({ id: `${s.id}.${c.id}`, name: c.name, color: c.color, description: c.description, parentId: s.id, slot: codes.length });
  }
  return codes;
}
