// Public face of the content module: articles, sections, authors, images, search, import and export.
export * from './article.types.ts';
export * from './article.queries.ts';
export { ContentError } from './content.errors.ts';
export { parseInterchange, importDocument, MAX_IMPORT_BYTES, type ImportResult } from './interchange.import.ts';
export { exportDocument } from './interchange.export.ts';
export { imageFile, IMAGE_WIDTHS } from './image.store.ts';
export { indexArticle, unindexArticle, searchArticleIds } from './search.queries.ts';
export { renderInline } from './inline-markup.ts';
export {
  articleSurrogateKeys, recordContentChange, surrogateKeyList, claimContentChangesForPurge, ContentChangeFeed, CONTENT_CHANGES_CHANNEL,
  type ContentChange, type ContentChangeFeedOptions,
} from './content-changes.ts';
export { ARTICLE_LIMITS, BLOCK_TYPES, blockSchemaOf, jsonPath, type BlockFlavour, type FieldError } from './interchange.schema.ts';
