// Public face of the generated big paper (`klartext demo generate`, bench:scale): the generator and its documented login.
export { generatePaper, copyLine, type GenerateOptions, type GenerateReport } from './generate.ts';
export {
  GENERATED_PASSWORD, ACCESS_WEIGHTS, ARTICLES_PER_YEAR, authorCount, generatedArticle, generatedPasswordHash, generatedReader, generatedReaderEmail,
  type PaperPlan,
} from './generate-paper.ts';
