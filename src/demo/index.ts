// Public face of the demo data: the generated big paper (`klartext demo generate`, bench:scale) with its documented login, and the demo paper's two-year history (`klartext seed`).
export { generatePaper, copyLine, type GenerateOptions, type GenerateReport } from './generate.ts';
export {
  GENERATED_PASSWORD, ACCESS_WEIGHTS, ARTICLES_PER_YEAR, authorCount, generatedArticle, generatedPasswordHash, generatedReader, generatedReaderEmail,
  type PaperPlan,
} from './generate-paper.ts';
export { HISTORY_DAYS, HISTORY_EXPERIMENT_ID, HISTORY_INSTITUTION_ID, LIBRARY_NETWORKS, RAW_DAYS, seedDemoHistory, type HistoryOptions, type HistoryReport, type HistoryResult } from './history.ts';
