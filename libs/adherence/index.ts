export * from './suppression.js';
export * from './kompetansebase-figures.js';
