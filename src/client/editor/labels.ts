// German names of the workflow states for the editor's status chip (the page renders the first one, the script updates it).
export const STATE_TEXT: Record<string, string> = {
  draft: 'Entwurf', review: 'In Prüfung', scheduled: 'Geplant', published: 'Veröffentlicht', unpublished: 'Zurückgezogen',
};
