// Public face of the newsroom domain: working copies, workflow, revisions, audit log, scheduled publishing.
export * from './draft-document.ts';
