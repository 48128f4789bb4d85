/**
 * A small fixed problem for the scikit-learn parity tests of TF-IDF and logistic regression. Expected values were
 * obtained once with scikit-learn 1.9.1 (bench/.venv):
 *   v = TfidfVectorizer(ngram_range=(1,2), max_features=12, sublinear_tf=True); X = v.fit_transform(PARITY_DOCS)
 *   lr = LogisticRegression(C=1.0, class_weight='balanced', tol=1e-10, max_iter=10000).fit(X, PARITY_LABELS)
 * max_features=12 keeps exactly the terms counted twice or more: sklearn picks among equal counts with numpy's
 * unstable argsort, so a cut through a tie cannot be reproduced by anyone (ours breaks ties alphabetically).
 */
import { wordNgrams } from './ngrams.ts';

export const PARITY_DOCS = [
  'kernel panic not syncing', 'disk full no space left on device', 'segfault in process core dumped',
  'failed password for root', 'connection reset by peer', 'connection timed out retrying', 'authentication failure for user',
  'session opened for user root', 'session closed for user root', 'server listening on port',
  'dhcp request on eth0', 'ntp time sync', 'heartbeat ok', 'dhcp ack on eth0 heartbeat',
];
export const PARITY_LABELS = [
  'critical', 'critical', 'critical', 'warning', 'warning', 'warning', 'warning',
  'informational', 'informational', 'informational', 'noise', 'noise', 'noise', 'noise',
];
export const PARITY_TEST_LINES = ['kernel panic on device', 'session opened for user admin', 'connection refused retrying heartbeat'];

/** sklearn's default analyzer: lower-case, token_pattern \b\w\w+\b, then word 1–2-grams. */
export const sklearnWords = (text: string): string[] => wordNgrams(text.toLowerCase().match(/\b\w\w+\b/gu) ?? [], 1, 2);

export const SKLEARN = {
  vocabulary: ['connection', 'dhcp', 'eth0', 'for', 'for user', 'heartbeat', 'on', 'on eth0', 'root', 'session', 'user', 'user root'],
  idf: [2.609438, 2.609438, 2.609438, 2.098612, 2.321756, 2.609438, 2.098612, 2.609438, 2.321756, 2.609438, 2.321756, 2.609438],
  /** X[13] ('dhcp ack on eth0 heartbeat'), indices sorted. */
  row13: { indices: [1, 2, 5, 6, 7], data: [0.463899, 0.463899, 0.463899, 0.373085, 0.463899] },
  classes: ['critical', 'informational', 'noise', 'warning'],
  coef: [
    [-0.34821, -0.187082, -0.187082, -0.342162, -0.248649, -0.273466, 0.171473, -0.187082, -0.279207, -0.167812, -0.248649, -0.167812],
    [-0.238451, -0.137848, -0.137848, 0.150371, 0.340187, -0.188789, 0.402656, -0.137848, 0.326657, 0.562499, 0.340187, 0.562499],
    [-0.296924, 0.444583, 0.444583, -0.296269, -0.216223, 0.665559, -0.142408, 0.444583, -0.242037, -0.146656, -0.216223, -0.146656],
    [0.883585, -0.119654, -0.119654, 0.488061, 0.124684, -0.203305, -0.43172, -0.119654, 0.194587, -0.24803, 0.124684, -0.24803],
  ],
  intercept: [0.254814, -0.233588, 0.044198, -0.065424],
  /** predict_proba of PARITY_TEST_LINES. */
  proba: [
    [0.362029, 0.279921, 0.214268, 0.143782],
    [0.18594, 0.382523, 0.160649, 0.270889],
    [0.193851, 0.13648, 0.316313, 0.353356],
  ],
  /** TfidfVectorizer(analyzer='char_wb', ngram_range=(2,3)).fit(['no space', 'oom kill']).get_feature_names_out() */
  charWbVocabulary: [' k', ' ki', ' n', ' no', ' o', ' oo', ' s', ' sp', 'ac', 'ace', 'ce', 'ce ', 'e ', 'il', 'ill', 'ki',
    'kil', 'l ', 'll', 'll ', 'm ', 'no', 'no ', 'o ', 'om', 'om ', 'oo', 'oom', 'pa', 'pac', 'sp', 'spa'],
};
