export * from './csr.ts';
export * from './ngrams.ts';
export * from './tfidf-vectorizer.ts';
