// The paywall area: the premium slot and crawler gate of the article page, /abo, unlock, the no-JS reading page and gift links.
export { createPaywall, type PaywallArea, type PaywallDeps } from './paywall.routes.tsx';
