export * from './csr.ts';
export * from './ngrams.ts';
export * from './tfidf-vectorizer.ts';
export * from './word-ngram-index.ts';
