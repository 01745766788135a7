// The reader area: front page, sections, authors, articles, static pages and feeds (public), and search (private).
export { siteRoutes as readerRoutes } from './reader.routes.tsx';
export { feedRoutes } from './feeds.routes.ts';
export { searchRoutes } from './search.routes.tsx';
