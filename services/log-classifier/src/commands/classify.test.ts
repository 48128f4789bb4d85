import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { systemClock } from '@aiops/common';
import { DEFAULT_TRAIN_OPTIONS, LogClassifier, trainModel } from '@aiops/log-classification';
import { corpus } from '@aiops/log-classification/testing';
import { classifyStream } from './classify.ts';

describe('classify --file', () => {
  const { model } = trainModel(corpus(), DEFAULT_TRAIN_OPTIONS, systemClock());
  const classifier = new LogClassifier(model);

  it('streams files mode: one JSON line per input line, rejects included', async () => {
    const input = new PassThrough();
    input.end('heartbeat ok seq 9\n\nsegfault at 77 in libc\n');
    const out: string[] = [];
    const counts = await classifyStream(classifier, input, (s) => out.push(s));
    expect(out).toHaveLength(3);
    expect(JSON.parse(out[1]!)).toMatchObject({ rejected: 'empty' });
    expect(JSON.parse(out[2]!)).toMatchObject({ category: 'critical', modelVersion: model.modelVersion });
    expect(counts.rejected).toBe(1);
  });
});
