import { fitHostDetector, scoreHostWindows } from '../../services/anomaly-scorer/src/host-detection.ts';
import { loadCaptures } from './host-captures.ts';
const caps = await loadCaptures();
const c = caps.find((c) => c.name === (process.argv[2] ?? 'ctu-010'))!;
const benign = c.records.filter((r) => r.label === 'Benign');
const t60 = benign[Math.floor(0.6 * benign.length)]!.ts;
const det = fitHostDetector(benign.filter((r) => r.ts < t60), { scorer: (process.argv[3] ?? 'iforest') as any });
console.log('threshold', det.json.threshold, 'train windows', det.json.trainingWindows);
const score = c.records.filter((r) => r.ts >= t60);
const res = scoreHostWindows(det, score);
for (const w of res.windows.filter((w) => w.alert && !w.showing.some((i) => score[i]!.label === 'Malicious')).slice(0, 25)) {
  const mal = w.showing.filter((i) => score[i]!.label === 'Malicious').length;
  console.log(new Date(w.start * 1000).toISOString().slice(11, 16), w.role, w.host, w.score.toFixed(3), w.connections, 'show', w.showing.length, 'mal', mal, w.knownHost, Object.entries(w.features).map(([a, b]) => `${a.replace('_vs_baseline', '')}=${b.toFixed(2)}`).join(' '));
}
const q = (xs: number[]) => { xs.sort((a, b) => a - b); return [0, 0.1, 0.5, 0.9, 1].map((p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]?.toFixed(3)).join(' '); };
const isMalW = (w: any) => w.showing.some((i: number) => score[i]!.label === 'Malicious');
console.log('malicious windows', res.windows.filter(isMalW).length, q(res.windows.filter(isMalW).map((w) => w.score)));
console.log('benign windows', res.windows.filter((w) => !isMalW(w)).length, q(res.windows.filter((w) => !isMalW(w)).map((w) => w.score)));
console.log('train q', q([...det.trainingScores!]));
const fmt = (w: any) => `${w.role} ${w.host} s=${w.score.toFixed(3)} n=${w.connections} ` + Object.entries(w.features).map(([a, b]: any) => `${a.replace('_vs_baseline', '')}=${b.toFixed(2)}`).join(' ');
const victim = benign[0]!.origHost;
const vr = res.windows.filter((w) => w.role === 'resp' && w.host === victim);
console.log('victim resp windows', vr.length, 'alerted', vr.filter((w) => w.alert).length);
for (const w of vr.slice(0, 4)) console.log(' ', fmt(w));
const ben = res.windows.filter((w) => !isMalW(w)).sort((a, b) => b.score - a.score);
for (const w of ben.slice(0, 4)) console.log(' B', fmt(w));
const mo = res.windows.filter((w) => w.role === 'orig' && isMalW(w)).sort((a, b) => b.score - a.score);
for (const w of mo.slice(0, 3)) console.log(' A', fmt(w));
console.log('train top', [...det.trainingScores!].sort((a, b) => b - a).slice(0, 6).map((x) => x.toFixed(3)).join(' '));
const byEp = new Map<string, any>();
for (const w of res.windows) for (const i of w.showing) { const r = score[i]!; if (r.label !== 'Malicious') continue; const k = r.detailedLabel; const cur = byEp.get(k); if (!cur || cur.score < w.score) byEp.set(k, w); }
for (const [k, w] of byEp) console.log(' EP', k, fmt(w));
