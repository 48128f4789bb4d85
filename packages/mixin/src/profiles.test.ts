/** The stress profile differs from production only in its alerts' `for:` (scripts/stress_test.sh relies on it). */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { mixinConfig } from './config.ts';
import { generatedFiles, profileRuleFiles } from './outputs.ts';

interface Rule {
  alert?: string;
  record?: string;
  for?: string;
  [key: string]: unknown;
}
const rules = (text: string): Rule[] => (parse(text) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules);

describe('stress profile', () => {
  const production = new Map(generatedFiles().filter((f) => f.path.endsWith('.rules.yml')).map((f) => [f.path.split('/').pop()!, f.content]));
  const stress = profileRuleFiles('stress');

  it('has every production rule file, under the same name', () => {
    expect(stress.map((f) => f.path).sort()).toEqual([...production.keys()].sort());
  });

  it('sets every alert `for:` to the profile duration and changes nothing else', () => {
    let shortened = 0;
    for (const file of stress) {
      const prod = rules(production.get(file.path)!);
      const mine = rules(file.content);
      expect(mine).toHaveLength(prod.length);
      mine.forEach((rule, i) => {
        const { for: stressFor, ...rest } = rule;
        const { for: prodFor, ...prodRest } = prod[i]!;
        expect(rest).toEqual(prodRest);
        if (prodFor === undefined) expect(stressFor).toBeUndefined();
        else {
          expect(stressFor).toBe(mixinConfig.stressProfile.for);
          shortened++;
        }
      });
      expect(file.content).toContain('STRESS PROFILE');
    }
    expect(shortened).toBeGreaterThan(10);
  });
});
