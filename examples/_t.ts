import { syntheticBorough, targetProgress, readTargets } from "@community-safety/core";
const s = syntheticBorough({ seed: 1 });
console.log(s.truths.months, s.truths.trend);
const plan = readTargets({ asAt: "2021-10", targets: [
  { name: "Reduce burglary by 10%", categories: ["burglary"], baseline: "2020/21", direction: "reduce", size: "10%", period: "2021/22" },
  { name: "Reduce violence in Wreford by 5%", categories: ["violent-crime"], where: { district: "Wreford" }, baseline: "2020/21", direction: "reduce", size: 0.05, period: "2021/22" },
  { name: "Cycle theft below 504", categories: ["bicycle-theft"], baseline: { count: 504, label: "2006/07" }, direction: "reduce", size: 0.1, period: "2021/22", profileFrom: "2020/21" },
]});
const r = targetProgress(s.table, plan.targets, { asAt: plan.asAt! });
for (const x of r.rows) console.log(x.sentence, x.rag);
console.log(r.series.filter((x) => x.id === r.rows[0].id));
