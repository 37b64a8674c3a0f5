import type { Code } from '../../shared/model';

/**
 * The codebook a new project starts with: the three codes our user named, with sub-codes
 * grounded in the bundled articles. A starting point the user edits; ids are stable so that
 * exports from different machines agree. Every code has its own colour from the palette
 * (shared/codebook.ts), none near another's: a sub-code is told from its parent and its siblings
 * at a glance, not by hovering.
 */
type Seed = { id: string; name: string; color: string; description: string; children: { id: string; name: string; color: string; description: string }[] };

const seeds: Seed[] = [
  {
    id: 'repression-tactic',
    name: 'Repression tactic',
    color: '#d62728',
    description: 'A means by which the state controls, punishes or deters defectors and their families.',
    children: [
      { id: 'surveillance', name: 'Surveillance', color: '#21cd36', description: 'Watching, monitoring or informant networks aimed at families.' },
      { id: 'interrogation', name: 'Interrogation', color: '#37a8ec', description: 'Questioning, detention for questioning, or torture to extract information.' },
      { id: 'banishment-relocation', name: 'Banishment and relocation', color: '#3b04d5', description: 'Exile or forced moves of relatives to remote areas.' },
      { id: 'prison-camps-collective-punishment', name: 'Prison camps and collective punishment', color: '#4d5217', description: 'Labour or political camps, and punishment of relatives for a defector’s act.' },
      { id: 'threats-of-execution', name: 'Threats of execution', color: '#f485fe', description: 'Warnings or threats of death for defecting or helping defectors.' },
      { id: 'family-as-hostage', name: 'Family held as hostage', color: '#e8ab3e', description: 'Relatives used as leverage to make defectors return, stay silent or cooperate.' },
      { id: 'background-checks', name: 'Background checks', color: '#147174', description: 'Investigations of families, records or “missing” persons to identify defectors.' },
    ],
  },
  {
    id: 'economic-change',
    name: 'Economic change',
    color: '#8c5c80',
    description: 'Money, markets and material life as they shape how families of defectors fare.',
    children: [
      { id: 'remittances', name: 'Remittances', color: '#e6a49f', description: 'Money sent by defectors to relatives still in the North.' },
      { id: 'bribery', name: 'Bribery', color: '#54cec2', description: 'Payments to officials to avoid punishment, gain information or move people.' },
      { id: 'smuggling-cross-border-trade', name: 'Smuggling and cross-border trade', color: '#1364b0', description: 'Goods, phones or people moved across the border, legally or not.' },
      { id: 'new-wealth-status', name: 'New wealth and status of defectors’ families', color: '#996019', description: 'Families whose standing rises through money from abroad.' },
      { id: 'officials-support-relatives', name: 'Officials supporting poor relatives', color: '#858d37', description: 'Officials and businessmen paying to keep relatives from fleeing.' },
    ],
  },
  {
    id: 'source-reliability',
    name: 'Source reliability',
    color: '#8a8cc2',
    description: 'Where a claim comes from and how far it can be trusted.',
    children: [
      { id: 'named-source', name: 'Named source', color: '#f83b8c', description: 'A source identified by name.' },
      { id: 'anonymous-source', name: 'Anonymous source', color: '#733a37', description: 'A source who is not named, often for safety.' },
      { id: 'second-hand-report', name: 'Second-hand report', color: '#f0772d', description: 'A claim passed on from someone else.' },
      { id: 'unconfirmed-report', name: 'Unconfirmed report', color: '#039256', description: 'A claim the article says could not be verified.' },
      { id: 'state-media', name: 'State media', color: '#b624da', description: 'North Korean official media or statements.' },
      { id: 'ngo-rights-group', name: 'NGO or rights group', color: '#4b4576', description: 'Advocacy groups, NGOs or human-rights organisations.' },
      { id: 'first-person-testimony', name: 'First-person testimony', color: '#abc189', description: 'A defector or witness speaking of their own experience.' },
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
