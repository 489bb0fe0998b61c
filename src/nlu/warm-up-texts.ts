import type { Locale } from '../domain.js';

/** A message in each language, understood once at load so the first petitioner does not pay for first runs. */
export const WARM_UP: [string, Locale][] = [
  ['你好，我家楼下的餐馆每天晚上油烟很大，已经三个月了，找过物业没有解决，希望尽快处理。', 'zh-CN'],
  ['Hello, the street light on Elm Road has been broken for a month; please fix it soon.', 'en'],
];
