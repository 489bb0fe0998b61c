/*
 * Petition hub web chat widget — plain browser JavaScript, no build step, no dependencies, nothing
 * loaded from anywhere but the hub.
 *
 * Embed: <script src="{hub}/widget.js" async data-lang="zh-CN|en" data-title="..." data-color="#1f6feb"
 *         data-position="right|left" data-open="true|false" data-hub="https://hub.example"
 *         data-remember="true|false"></script>
 * Any element with a data-petition-chat-open attribute on the host page opens the chat when clicked.
 * Talks to the hub's web chat API v1 (docs/api.md, web chat API).
 *
 * Isolation: everything lives in one <petition-chat> element with its own shadow root. Its styles
 * cannot leak out, and `:host{all:initial!important}` keeps the host page's CSS (even `!important`
 * rules on `*`) from hiding or restyling it. The browser functions it needs (fetch, WebSocket, JSON,
 * storage, timers) are captured when it loads, and it uses no Array/Map/Set prototype methods while
 * running, so a host script that later replaces them does not break it. A host that rewrites DOM
 * built-ins (document.createElement, Element.prototype) is beyond what any embedded script can
 * defend against. The only global it sets is window.__petitionChat (a load-once guard).
 *
 * Safety: every text from the hub (bot, officer, petitioner) is put into the page as text nodes,
 * never as HTML; only http(s) addresses become links. The only images it shows are the petitioner's
 * own photos, from object URLs of the files they picked (img-src blob:), revoked once shown. The
 * widget uses no postMessage and no iframe, so there are no cross-window messages whose origin would
 * need checking.
 */
(() => {
  'use strict';
  const W = window;
  if (W.__petitionChat) return;
  W.__petitionChat = 1;

  // ---------- what the widget needs from the browser, captured before the host can replace it ----------
  const fetchFn = W.fetch.bind(W);
  const Socket = W.WebSocket;
  const parse = JSON.parse, stringify = JSON.stringify;
  const later = W.setTimeout.bind(W), cancel = W.clearTimeout.bind(W);
  const confirmFn = W.confirm.bind(W);
  const keys = Object.keys;
  const toBitmap = W.createImageBitmap ? W.createImageBitmap.bind(W) : null;
  const objectURL = W.URL.createObjectURL.bind(W.URL), revokeURL = W.URL.revokeObjectURL.bind(W.URL);
  const randomUUID = W.crypto && W.crypto.randomUUID ? W.crypto.randomUUID.bind(W.crypto) : null;
  const randomBytes = W.crypto && W.crypto.getRandomValues ? W.crypto.getRandomValues.bind(W.crypto) : null;
  let store = null;
  try {
    const ls = W.localStorage;
    store = { get: ls.getItem.bind(ls), set: ls.setItem.bind(ls), del: ls.removeItem.bind(ls) };
  } catch (_) { /* storage blocked: the session lasts as long as the page */ }
  const each = (list, fn) => { for (let i = 0; i < list.length; i++) fn(list[i], i); };

  const tag = document.currentScript || document.querySelector('script[src$="widget.js"],script[src*="widget.js?"]');
  const ds = (tag && tag.dataset) || {};
  let hub;
  try {
    hub = ds.hub ? new URL(ds.hub, location.href).href.replace(/\/+$/, '') : new URL(tag.src, location.href).origin;
  } catch (_) { hub = location.origin; }
  const lang = /^zh/i.test(ds.lang || navigator.language || '') ? 'zh-CN' : 'en';
  const MAX = 5000;
  // Photos: what the hub takes (docs/api.md, send a photo), the size the widget sends at most (the
  // hub's ATTACHMENT_MAX_BYTES may be lower: its 413 is shown), and when a photo is made smaller first.
  const PHOTO_TYPES = /^image\/(jpeg|png|webp|gif)$/;
  const PHOTO_MB = 10, PHOTO_MAX = PHOTO_MB * 1048576;
  const EDGE = 2560, SMALL = 2 * 1048576, DECODE_MAX = 40 * 1048576; // larger is not even decoded (a phone's memory)
  // How the hub writes a photo in the conversation (src/channels/material.ts), as the history gives it back.
  const PHOTO_LINE = /^\[图片 image\] attachment:\S+$/;

  const T = {
    'zh-CN': {
      title: '在线信访服务', sub: '我们会认真倾听，依法依规办理', launch: '在线反映问题',
      close: '关闭对话窗口', newChat: '开始新的对话',
      confirmNew: '确定开始新的对话吗？当前对话将不再显示在这里；已提交的事项仍可凭受理编号查询。',
      label: '输入您想反映的情况', ph: '请说说发生了什么……', send: '发送',
      sending: '发送中……', sent: '已发送', queued: '未发送，连接恢复后自动重发', failed: '发送失败', retry: '重试',
      tooLong: '内容超过 5000 字，请分几次发送。', typing: '正在回复……',
      you: '我', bot: '服务助手', officer: '工作人员', officerOf: d => d + ' · 工作人员', system: '通知',
      caseRef: '您的受理编号', keep: '请妥善保存，用于查询办理进度。', copy: '复制', copied: '已复制', copyFail: '请手动复制',
      offline: '网络连接中断，正在重新连接……', startErr: '暂时无法连接服务，请稍后再试。', tryAgain: '重新连接',
      rate: '发送太频繁，请稍候再试。', rejected: '这条消息未能提交，请修改后重试。', expired: '对话已失效，已为您开始新的对话。',
      yes: '是的', no: '需要修改', quick: '快捷回复', rateHint: '1 很不满意 · 5 非常满意', star: n => n + ' 分',
      unread: n => n + ' 条新消息', log: '对话记录',
      attach: '发送照片', photo: '照片', photoSent: '已发送一张照片', preparing: '正在处理照片……', refused: '未能发送',
      notPhoto: '只能发送照片（JPG、PNG、WebP 或 GIF 格式）。',
      tooBig: n => '这张照片太大（超过 ' + n + ' MB），无法发送，请换一张较小的照片。',
      photoRefused: '这张照片未能发送：文件内容不是可以接收的照片。', photoTooBig: '这张照片未能发送：文件超过了允许的大小。',
      // Punctuation the widget adds around its texts: Chinese marks, no spaces (GB/T 15834).
      paren: s => '（' + s + '）', speaker: s => s + '：',
    },
    en: {
      title: 'Petition Service', sub: 'We listen, and follow up on every case', launch: 'Contact us',
      close: 'Close chat', newChat: 'Start a new conversation',
      confirmNew: 'Start a new conversation? This one will no longer be shown here; anything you filed keeps its tracking number.',
      label: 'Type your message', ph: 'Tell us what happened…', send: 'Send',
      sending: 'Sending…', sent: 'Sent', queued: 'Not sent yet, will resend when reconnected', failed: 'Not sent', retry: 'Retry',
      tooLong: 'That message is longer than 5,000 characters. Please send it in parts.', typing: 'Replying…',
      you: 'You', bot: 'Assistant', officer: 'Officer', officerOf: d => 'Officer · ' + d, system: 'Notice',
      caseRef: 'Your tracking number', keep: 'Keep it to follow the progress of your case.', copy: 'Copy', copied: 'Copied', copyFail: 'Please copy it manually',
      offline: 'Connection lost. Reconnecting…', startErr: 'We cannot connect right now. Please try again shortly.', tryAgain: 'Try again',
      rate: 'You are sending messages too quickly. Please wait a moment.', rejected: 'This message could not be accepted. Please edit it and try again.',
      expired: 'This conversation had expired, so a new one has been started.',
      yes: 'Yes', no: 'I need to change something', quick: 'Quick replies', rateHint: '1 very unsatisfied · 5 very satisfied', star: n => n + ' of 5',
      unread: n => n + ' new', log: 'Conversation',
      attach: 'Send a photo', photo: 'Photo', photoSent: 'Photo sent', preparing: 'Preparing the photo…', refused: 'Not sent',
      notPhoto: 'Only photos can be sent (JPG, PNG, WebP or GIF).',
      tooBig: n => 'That photo is too large to send (over ' + n + ' MB). Please choose a smaller one.',
      photoRefused: 'This photo was not sent: the file is not a photo we can accept.', photoTooBig: 'This photo was not sent: the file is larger than we accept.',
      paren: s => ' (' + s + ')', speaker: s => s + ': ',
    },
  }[lang];

  // ---------- storage (namespaced by hub; falls back to memory) ----------
  // Saved: {sessionId, token, pending: {clientMessageId: {text, label, at}}} — an object, not an
  // array, so a host's Array.prototype.toJSON cannot garble it.
  const KEY = 'petitionChat:' + hub;
  let mem = null;
  const load = () => { try { return store ? parse(store.get(KEY)) : mem; } catch (_) { return mem; } };
  const persist = v => {
    mem = v;
    try { if (store) v ? store.set(KEY, stringify(v)) : store.del(KEY); } catch (_) { /* private mode, quota */ }
  };

  // The visitor key: a random secret kept in this browser (never sent anywhere but this hub), so that a
  // new conversation from it is greeted back with the petitioner's cases and what they left untold.
  // data-remember="false" (a shared computer in a service hall) keeps none.
  const VISITOR = 'petitionChat:visitor:' + hub;
  const visitor = () => {
    if (ds.remember === 'false' || !store || !randomBytes) return undefined;
    try {
      let v = store.get(VISITOR);
      if (!v || !/^[0-9a-f]{48}$/.test(v)) {
        const b = new Uint8Array(24);
        randomBytes(b);
        v = '';
        for (let i = 0; i < 24; i++) v += hex(b[i]);
        store.set(VISITOR, v);
      }
      return v;
    } catch (_) { return undefined; }
  };

  // ---------- DOM helpers ----------
  const h = (name, attrs, ...kids) => {
    const e = document.createElement(name);
    each(keys(attrs || {}), k => {
      const v = attrs[k];
      if (v == null || v === false) return;
      if (k[0] === 'o' && k[1] === 'n') e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? '' : v);
    });
    each(kids, c => { if (c != null && c !== false) e.append(c); });
    return e;
  };
  const SVG = 'http://www.w3.org/2000/svg'; // an XML namespace name, not a download
  const icon = d => {
    const s = document.createElementNS(SVG, 'svg');
    s.setAttribute('viewBox', '0 0 24 24'); s.setAttribute('aria-hidden', 'true'); s.setAttribute('focusable', 'false');
    const p = document.createElementNS(SVG, 'path');
    p.setAttribute('d', d);
    s.append(p);
    return s;
  };
  const I = {
    chat: 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z',
    x: 'M6 6l12 12M18 6L6 18', again: 'M20 11a8 8 0 1 0-2.3 5.7M20 4v7h-7', send: 'M4 12l16-8-6 16-2.5-6.5z',
  };
  const pad = n => String(n).padStart(2, '0');
  const when = iso => {
    const d = iso ? new Date(iso) : new Date();
    if (isNaN(d)) return '';
    const hm = pad(d.getHours()) + ':' + pad(d.getMinutes());
    return d.toDateString() === new Date().toDateString() ? hm : (d.getMonth() + 1) + '/' + d.getDate() + ' ' + hm;
  };
  const URL_RE = /(https?:\/\/[^\s<>"'()[\]\u3000-\u303f\uff00-\uffef]*[^\s<>"'()[\]\u3000-\u303f\uff00-\uffef.,;:!?])/;
  const rich = text => { // text nodes plus http(s) links; never HTML
    const f = document.createDocumentFragment();
    each(String(text == null ? '' : text).split(URL_RE), (s, i) => {
      if (i % 2) f.append(h('a', { href: s, target: '_blank', rel: 'noopener noreferrer' }, s));
      else if (s) f.append(s);
    });
    return f;
  };
  const hex = b => (b < 16 ? '0' : '') + b.toString(16);
  const uuid = () => {
    if (randomUUID) try { return randomUUID(); } catch (_) { /* insecure context */ }
    const b = new Uint8Array(16);
    if (randomBytes) randomBytes(b); else for (let i = 0; i < 16; i++) b[i] = Math.random() * 256;
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    let x = '';
    for (let i = 0; i < 16; i++) x += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + hex(b[i]);
    return x;
  };

  // ---------- colours: brand, text on it and an "ink" for text on light grounds, all WCAG AA ----------
  const lum = rgb => {
    let L = 0;
    each(rgb, (v, i) => { v /= 255; L += [0.2126, 0.7152, 0.0722][i] * (v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4); });
    return L;
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const LIGHTEST = [246, 248, 250]; // the lightest ground text sits on (#f6f8fa); white is lighter still only by a hair
  function palette(rgb) {
    // Black or white, whichever reads better: one of them always reaches at least 4.58:1.
    const text = ratio(rgb, [255, 255, 255]) >= ratio(rgb, [0, 0, 0]) ? '#fff' : '#000';
    // The brand colour itself as ink where it is dark enough; otherwise darkened in steps until it is.
    let ink = rgb;
    for (let k = 0.9; ratio(ink, LIGHTEST) < 4.5 && k > 0; k -= 0.1) ink = [Math.round(rgb[0] * k), Math.round(rgb[1] * k), Math.round(rgb[2] * k)];
    const css = v => 'rgb(' + v[0] + ',' + v[1] + ',' + v[2] + ')';
    return { c: css(rgb), t: text, k: css(ink) };
  }

  // ---------- styles ----------
  const STYLE = `
:host{all:initial!important}
*{box-sizing:border-box}
[hidden]{display:none!important}
.r{font:15px/1.55 system-ui,-apple-system,"Segoe UI","PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC","WenQuanYi Micro Hei",sans-serif;color:#1f2328;-webkit-text-size-adjust:100%}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
button{font:inherit;color:inherit;cursor:pointer;border:0;background:none;margin:0;padding:0}
button:focus-visible,a:focus-visible,[tabindex]:focus-visible{outline:2px solid transparent;box-shadow:0 0 0 2px #fff,0 0 0 4px #1f2328}
textarea:focus{outline:2px solid var(--k);outline-offset:0;border-color:var(--k)}
svg{width:22px;height:22px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.launch{position:fixed;z-index:2147483000;bottom:20px;right:20px;display:flex;align-items:center;gap:8px;min-height:48px;padding:12px 18px 12px 14px;border-radius:28px;background:var(--c);color:var(--t);font-weight:600;box-shadow:0 4px 16px rgba(15,23,42,.25)}
.badge{min-width:20px;padding:0 6px;border-radius:10px;background:#cf222e;color:#fff;font-size:12px;line-height:20px;text-align:center}
.panel{position:fixed;z-index:2147483001;bottom:88px;right:20px;width:384px;height:min(640px,calc(100vh - 108px));display:flex;flex-direction:column;background:#fff;border-radius:14px;overflow:hidden;box-shadow:0 12px 40px rgba(15,23,42,.28);animation:in .18s ease-out}
.left .launch,.left .panel{right:auto;left:20px}
@keyframes in{from{opacity:0;transform:translateY(10px)}}
header{display:flex;align-items:center;gap:4px;padding:10px 6px 10px 16px;background:var(--c);color:var(--t)}
header div{flex:1;min-width:0}
h2{margin:0;font-size:16px;font-weight:600;line-height:1.3;outline:0;overflow-wrap:anywhere}
header p{margin:2px 0 0;font-size:12.5px;line-height:1.35}
.ib{width:44px;height:44px;border-radius:8px;display:grid;place-items:center;flex:none}
.ib:hover{background:rgba(127,127,127,.2)}
.body{flex:1;overflow-y:auto;padding:16px 14px 10px;background:#f6f8fa;overscroll-behavior:contain}
ol{list-style:none;margin:0;padding:0;display:flex;flex-direction:column;gap:12px}
.m{display:flex;flex-direction:column;align-items:flex-start;max-width:86%}
.m.petitioner{align-self:flex-end;align-items:flex-end}
.b{padding:9px 13px;border-radius:14px;background:#fff;border:1px solid #d0d7de;white-space:pre-wrap;overflow-wrap:anywhere}
.b a{color:#0550ae}
.bot .b{border-bottom-left-radius:4px}
.petitioner .b{background:var(--c);color:var(--t);border-color:transparent;border-bottom-right-radius:4px}
.officer .b{background:#e9f6ee;border-color:#8fcea6;border-left:4px solid #1a7f37;border-bottom-left-radius:4px}
.who{font-size:12px;font-weight:600;color:#116329;margin:0 0 3px 4px}
.m.system{align-self:center;max-width:94%;align-items:center;text-align:center}
.system .b{background:#eaeef2;border:0;color:#3d444d;font-size:13px;border-radius:8px;padding:6px 12px}
.meta{font-size:12px;color:#59636e;margin:3px 4px 0;display:flex;flex-wrap:wrap;gap:0 8px;align-items:center}
.queued .meta,.failed .meta{color:#b42318}
.meta button{color:#0550ae;text-decoration:underline;font-weight:600;padding:2px 6px;min-height:24px;border-radius:4px}
.m.hascase{max-width:100%}
.case{margin-top:8px;padding:10px 12px;border-radius:10px;background:#fff;border:2px solid var(--k);display:grid;grid-template-columns:1fr auto;gap:4px 12px;align-items:center}
.case small{font-size:12px;color:#59636e}
.case small:first-child,.ref{grid-column:1/-1}
.ref{font:700 19px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;color:#1f2328;letter-spacing:.04em;user-select:all;overflow-wrap:anywhere}
.cp{padding:6px 14px;border-radius:8px;border:1px solid var(--k);color:var(--k);font-size:13px;font-weight:600;min-height:34px}
.typing{display:flex;gap:4px;padding:12px 14px;margin-top:12px;width:max-content;background:#fff;border:1px solid #d0d7de;border-radius:14px}
.typing i{width:7px;height:7px;border-radius:50%;background:#6e7781;animation:dot 1.2s infinite ease-in-out}
.typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}
@keyframes dot{0%,80%,100%{opacity:.3;transform:none}40%{opacity:1;transform:translateY(-3px)}}
.note{margin:0;padding:8px 14px;font-size:13px;background:#fff8c5;color:#4d2d00;border-top:1px solid #eac54f}
.note button,.err button{margin-left:8px;text-decoration:underline;font-weight:600;min-height:24px}
.err{margin:12px 0 0;padding:10px 12px;border-radius:8px;background:#ffebe9;color:#82071e;font-size:14px}
.qr{display:flex;flex-wrap:wrap;gap:8px;padding:10px 12px 0;background:#fff;border-top:1px solid #d0d7de}
.qr button{padding:7px 15px;border-radius:18px;border:1.5px solid var(--k);color:var(--k);background:#fff;font-weight:600;min-height:36px}
.qr button:hover{background:#f6f8fa}
.qr small{width:100%;font-size:12px;color:#59636e}
form{flex:1;min-width:0;display:flex;align-items:flex-end;gap:8px}
.compose{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;padding-bottom:max(10px,env(safe-area-inset-bottom));background:#fff}
.qr[hidden]+.compose{border-top:1px solid #d0d7de}
textarea{flex:1;min-width:0;resize:none;margin:0;font:inherit;font-size:16px;line-height:1.4;padding:9px 12px;height:44px;max-height:140px;border:1px solid #6e7781;border-radius:10px;color:#1f2328;background:#fff}
textarea::placeholder{color:#59636e;opacity:1}
.send{width:44px;height:44px;border-radius:10px;background:var(--c);color:var(--t);display:grid;place-items:center;flex:none}
.att{width:44px;height:44px;border-radius:10px;border:1.5px solid var(--k);color:var(--k);background:#fff;display:grid;place-items:center;flex:none}
.att:hover{background:#f6f8fa}
.cam{position:relative;display:inline-block;vertical-align:-3px;width:22px;height:16px;margin-top:4px;border:2px solid currentColor;border-radius:4px}
.cam::before,.cam::after{content:"";position:absolute;box-sizing:border-box;border:2px solid currentColor}
.cam::before{left:4px;top:1px;width:10px;height:10px;border-radius:50%}
.cam::after{left:3px;top:-6px;width:8px;height:5px;border-bottom:0;border-radius:2px 2px 0 0}
.b.pic{padding:4px}
.b.pic img{display:block;max-width:min(220px,60vw);max-height:220px;border-radius:11px}
.b .cam{margin:0 8px 0 0;width:18px;height:13px}
.b .cam::before{left:3px;top:0;width:8px;height:8px}
.b .cam::after{left:2px;top:-5px;width:7px;height:4px}
.hint{margin:0;padding:0 14px 8px;font-size:12px;color:#59636e;background:#fff}
.hint.bad{color:#b42318}
@media (max-width:480px),(max-height:480px){.panel,.left .panel{inset:0;width:auto;height:auto;border-radius:0}.open .launch{display:none}.launch{bottom:16px;right:16px}.left .launch{left:16px}}
@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important;scroll-behavior:auto!important}}
@media (forced-colors:active){.b,.launch,.send,.att,.qr button{border:1px solid CanvasText}}
`;

  // ---------- build UI ----------
  const host = document.createElement('petition-chat');
  const shadow = host.attachShadow({ mode: 'open' });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
    shadow.adoptedStyleSheets = [sheet];
  } catch (_) { shadow.append(h('style', {}, STYLE)); } // old browsers: needs the page to allow it

  const coarse = W.matchMedia('(pointer:coarse)').matches;
  const title = ds.title || T.title;
  const root = h('div', { class: 'r' + (ds.position === 'left' ? ' left' : ''), lang });
  const badge = h('span', { class: 'badge', hidden: true, 'aria-hidden': 'true' });
  const launcher = h('button', { class: 'launch', type: 'button', 'aria-expanded': 'false', 'aria-controls': 'pc-panel', onclick: () => (isOpen ? close() : open()) },
    icon(I.chat), h('span', {}, T.launch), badge);
  const heading = h('h2', { id: 'pc-title', tabindex: '-1' }, title);
  // The log announces additions only (new messages), not status changes inside them.
  // (A list inside the log, so that its items keep their list semantics.)
  const log = h('ol');
  const logRegion = h('div', { role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': T.log }, log);
  const typing = h('div', { class: 'typing', hidden: true, role: 'status' }, h('i'), h('i'), h('i'), h('span', { class: 'sr' }, T.typing));
  // Focusable so the conversation can be scrolled from the keyboard.
  const body = h('div', { class: 'body', tabindex: '0', role: 'region', 'aria-labelledby': 'pc-title' }, logRegion, typing);
  const note = h('p', { class: 'note', hidden: true, role: 'status' });
  const qr = h('div', { class: 'qr', role: 'group', 'aria-label': T.quick, hidden: true });
  const ta = h('textarea', { id: 'pc-input', rows: '1', placeholder: T.ph, enterkeyhint: 'send', autocomplete: 'off', maxlength: String(MAX * 2), 'aria-describedby': 'pc-hint' });
  const hint = h('p', { class: 'hint', hidden: true, 'aria-live': 'polite', id: 'pc-hint' });
  const form = h('form', { onsubmit: e => { e.preventDefault(); submit(); } },
    h('label', { class: 'sr', for: 'pc-input' }, T.label), ta,
    h('button', { class: 'send', type: 'submit', 'aria-label': T.send, title: T.send }, icon(I.send)));
  // Photos: the system's picker, images only; no `capture`, so a phone offers its gallery as well as the camera.
  const picker = h('input', { type: 'file', accept: 'image/*', multiple: true, hidden: true, tabindex: '-1', onchange: () => pickedPhotos() });
  const attach = h('button', { class: 'att', type: 'button', 'aria-label': T.attach, title: T.attach, onclick: () => picker.click() }, h('span', { class: 'cam', 'aria-hidden': 'true' }));
  const compose = h('div', { class: 'compose' }, form, attach, picker);
  const panel = h('section', { class: 'panel', id: 'pc-panel', role: 'dialog', 'aria-labelledby': 'pc-title', hidden: true },
    h('header', {},
      h('div', {}, heading, h('p', {}, T.sub)),
      h('button', { class: 'ib', type: 'button', 'aria-label': T.newChat, title: T.newChat, onclick: newChat }, icon(I.again)),
      h('button', { class: 'ib', type: 'button', 'aria-label': T.close, title: T.close, onclick: () => close() }, icon(I.x))),
    body, note, qr, compose, hint);
  root.append(launcher, panel);
  shadow.append(root);

  const mount = () => {
    document.body.append(host);
    // Hex, rgb() and named colours: the browser normalises them to rgb() on a probe element.
    // Anything else (an unknown word, oklch() and other colour spaces) leaves the default.
    const probe = h('i');
    probe.style.color = (ds.color && CSS.supports('color', ds.color)) ? ds.color : '#1f6feb';
    root.append(probe);
    const rgb = [31, 111, 235];
    const computed = getComputedStyle(probe).color;
    if (/^rgba?\(/.test(computed)) each(computed.match(/[\d.]+/g) || [], (v, i) => { if (i < 3) rgb[i] = Math.round(+v); });
    probe.remove();
    const p = palette(rgb);
    root.style.setProperty('--c', p.c);
    root.style.setProperty('--t', p.t);
    root.style.setProperty('--k', p.k);
    if (load()) start(); // a returning petitioner: resume so officer replies show as unread
    if (ds.open !== undefined && ds.open !== 'false') open(false);
  };

  // ---------- state ----------
  let sess = null, starting = null, gen = 0, isOpen = false, unread = 0;
  let ws = null, wsTimer = 0, backoff = 0;
  let lastId = null, lastAt = 0, lastMsg = null, lastOpts = null, busy = 0, chain = Promise.resolve();
  let readId = null; // the last message the petitioner has had on screen (kept across reloads for the unread count)
  let seen = Object.create(null); // server message ids already shown
  // This browser's messages, oldest first: {cid, text, label, at, status, el, sid, inChain}; a photo
  // has `photo: {blob, type, name}` instead of a text (kept in memory only, until the hub has it).
  let pend = [];

  const save = () => {
    if (!sess) return;
    const pending = {};
    each(pend, p => { if (p.status !== 'sent' && !p.photo) pending[p.cid] = { text: p.text, label: p.label, at: p.at }; });
    persist({ sessionId: sess.sessionId, token: sess.token, pending, read: readId });
  };

  const path = q => '/' + encodeURIComponent(sess.sessionId) + '/messages' + (q || '');
  // raw: a body sent as it is (a photo), with its own headers.
  async function api(method, p, data, raw) {
    const headers = raw ? raw.headers : {};
    if (data) headers['Content-Type'] = 'application/json';
    if (sess) headers.Authorization = 'Bearer ' + sess.token;
    const r = await fetchFn(hub + '/api/webchat/sessions' + p, { method, headers, body: raw ? raw.body : data ? stringify(data) : undefined, credentials: 'omit' });
    let d = null;
    try { d = parse(await r.text()); } catch (_) { /* empty body */ }
    if (!r.ok) {
      const x = d && d.error;
      const e = new Error((x && x.code) || 'http_' + r.status);
      e.status = r.status; e.code = x && x.code; e.said = x && typeof x.message === 'string' ? x.message : '';
      throw e;
    }
    return d || {};
  }
  const gone = e => e.status === 401 || e.code === 'session_not_found'; // the session itself is no longer valid

  // ---------- rendering ----------
  const nearEnd = () => body.scrollHeight - body.scrollTop - body.clientHeight < 80;
  const toEnd = () => { body.scrollTop = body.scrollHeight; };

  function meta(iso, status) {
    const at = iso || new Date().toISOString();
    const d = new Date(at);
    return h('div', { class: 'meta' }, h('time', { datetime: at, title: isNaN(d) ? null : d.toLocaleString(lang) }, when(at)), status);
  }

  // Server order: messages the server has stored go before this browser's unsent ones, which the
  // server will store after everything it has now.
  function place(li) {
    for (let i = 0; i < pend.length; i++) {
      const p = pend[i];
      if (p.status !== 'sent' && p.status !== 'refused' && p.el !== li && p.el.parentNode === log) { log.insertBefore(li, p.el); return; }
    }
    log.append(li);
  }

  function optionsOf(m) {
    const x = m && m.role === 'bot' && m.expects;
    if (!x) return null;
    if (x.options && x.options.length) return x.options;
    if (x.type === 'confirm') return [{ value: 'yes', label: T.yes }, { value: 'no', label: T.no }];
    if (x.type === 'rating') {
      const o = [];
      for (let n = 1; n <= 5; n++) o[n - 1] = { value: String(n), label: String(n), aria: T.star(n) };
      return o;
    }
    return null;
  }
  // A quick reply sends the option's value; the petitioner sees the label they chose.
  function labelFor(text, opts) {
    for (let i = 0; opts && i < opts.length; i++) {
      const o = opts[i];
      if (o && String(o.value) === text && o.label != null) return String(o.label);
    }
    return text;
  }

  // A photo the petitioner sent: its preview while this page has the file, else a neutral line
  // (from the history: "photo sent"; a preview that cannot be shown: "photo").
  function photoContent(blob, line) {
    let url = null;
    try { url = blob ? objectURL(blob) : null; } catch (_) { /* no object URLs here */ }
    if (!url) {
      const f = document.createDocumentFragment();
      f.append(h('span', { class: 'cam', 'aria-hidden': 'true' }), line || T.photo);
      return f;
    }
    const done = () => revokeURL(url); // the image stays shown; the blob it came from can go
    // Not shown (a page whose CSP has no blob: in img-src, a file the browser cannot read): the line instead.
    const img = h('img', { src: url, alt: T.photo, onload: done, onerror: () => {
      done();
      const b = img.parentNode;
      if (b) { b.classList.remove('pic'); img.replaceWith(photoContent(null)); }
    } });
    return img;
  }

  function bubble(m, shown, blob) {
    const role = m.role === 'petitioner' || m.role === 'officer' || m.role === 'system' ? m.role : 'bot';
    const prefix = { petitioner: T.you, bot: T.bot, system: T.system }[role];
    shown = String(shown == null ? '' : shown);
    const photo = role === 'petitioner' && (blob || PHOTO_LINE.test(shown));
    const li = h('li', { class: 'm ' + role },
      role === 'officer' && h('span', { class: 'who' }, m.from ? T.officerOf(String(m.from)) : T.officer),
      h('div', { class: blob ? 'b pic' : 'b' }, prefix && h('span', { class: 'sr' }, T.speaker(prefix)),
        photo ? photoContent(blob, T.photoSent) : role === 'petitioner' ? shown : rich(m.text)));
    if (m.caseRef) {
      const ref = h('span', { class: 'ref' }, String(m.caseRef));
      const cp = h('button', { class: 'cp', type: 'button', 'aria-label': T.copy + ' ' + m.caseRef }, T.copy);
      cp.onclick = () => copy(String(m.caseRef), cp, ref);
      li.append(h('div', { class: 'case' }, h('small', {}, T.caseRef), ref, h('small', {}, T.keep), cp));
      li.classList.add('hascase');
    }
    return li;
  }

  // quiet: history being loaded, not news (what is unread then is counted from the saved read mark)
  function addMsg(m, quiet) {
    if (!m || m.id == null || seen[m.id]) return;
    seen[m.id] = 1;
    const at = Date.parse(m.createdAt) || Date.now();
    if (at >= lastAt) { lastAt = at; lastId = m.id; }
    const end = nearEnd();
    if (m.role === 'petitioner') { // our own message echoed back by a sync: bind it to the local bubble
      for (let i = 0; i < pend.length; i++) {
        const p = pend[i];
        if (!p.sid && (m.clientMessageId ? p.cid === m.clientMessageId : p.text === m.text)) {
          p.sid = m.id;
          if (p.status !== 'sent') { setStatus(p, 'sent'); place(p.el); }
          return;
        }
      }
    }
    const li = bubble(m, m.role === 'petitioner' ? labelFor(String(m.text), lastOpts) : null);
    li.append(meta(m.createdAt));
    place(li);
    lastMsg = m;
    lastOpts = optionsOf(m); // what the next answer may be the value of
    replies();
    if (end) toEnd();
    if (isOpen) { readId = lastId; save(); }
    else if (!quiet && m.role !== 'petitioner') { unread++; showBadge(); }
  }

  function setStatus(p, s) {
    p.status = s;
    p.el.classList.toggle('failed', s === 'failed' || s === 'refused');
    p.el.classList.toggle('queued', s === 'queued');
    const st = p.el.querySelector('.st');
    st.textContent = T[s];
    // (A refused photo has no Retry: the hub would refuse the same file again.)
    if (s === 'failed' || s === 'queued') st.append(' ', h('button', { type: 'button', onclick: () => { backoff = 0; sendOne(p); } }, T.retry));
    if ((s === 'sent' || s === 'refused') && p.photo) p.photo.blob = null; // not sent again; the preview is already drawn
    save();
  }

  function addLocal(text, label, cid, at, status, photo) {
    const p = { cid, text, label, at, status, photo };
    p.el = bubble({ role: 'petitioner' }, label || text, photo && photo.blob);
    p.el.append(meta(at, h('span', { class: 'st' })));
    pend[pend.length] = p;
    log.append(p.el);
    setStatus(p, status);
    lastMsg = null;
    replies();
    toEnd();
    return p;
  }

  function replies() {
    qr.textContent = '';
    const x = lastMsg && lastMsg.role === 'bot' && lastMsg.expects;
    const opts = x && (x.type === 'confirm' || x.type === 'rating' || x.type === 'choice') ? optionsOf(lastMsg) : null;
    qr.hidden = !opts;
    ta.inputMode = x && x.slot === 'contactPhone' ? 'tel' : 'text';
    if (!opts) return;
    each(opts, o => {
      const v = o && typeof o === 'object' ? o : { value: String(o), label: String(o) };
      const label = String(v.label != null ? v.label : v.value);
      // The buttons go away once used; focus goes on to where the conversation continues.
      qr.append(h('button', { type: 'button', 'aria-label': v.aria, onclick: () => { send(String(v.value), label); (coarse ? body : ta).focus(); } }, label));
    });
    if (x.type === 'rating' && !(x.options && x.options.length)) qr.append(h('small', {}, T.rateHint));
  }

  function showBadge() {
    badge.hidden = !unread;
    badge.textContent = unread > 9 ? '9+' : String(unread);
    launcher.setAttribute('aria-label', T.launch + (unread ? T.paren(T.unread(unread)) : ''));
  }
  const showNote = (text, action, fn) => {
    note.textContent = text || '';
    note.hidden = !text;
    if (action) note.append(h('button', { type: 'button', onclick: fn }, action));
  };
  const setHint = (text, bad) => { hint.textContent = text || ''; hint.hidden = !text; hint.classList.toggle('bad', !!bad); };
  const systemLine = text => { log.append(h('li', { class: 'm system' }, h('div', { class: 'b' }, text))); toEnd(); };

  async function copy(text, btn, el) {
    let ok = false;
    try { await navigator.clipboard.writeText(text); ok = true; } catch (_) {
      const t = h('textarea', { class: 'sr', readonly: true });
      t.value = text;
      root.append(t);
      t.select();
      try { ok = document.execCommand('copy'); } catch (_) { /* unsupported */ }
      t.remove();
      if (!ok) { try { getSelection().selectAllChildren(el); } catch (_) { /* ignore */ } }
    }
    btn.textContent = ok ? T.copied : T.copyFail;
    later(() => { btn.textContent = T.copy; }, 2500);
  }

  // ---------- sessions ----------
  function start() {
    if (sess) return Promise.resolve();
    if (starting) return starting;
    const g = gen;
    const saved = load();
    each(log.querySelectorAll('.err'), e => e.remove());
    starting = (saved && saved.sessionId && saved.token ? resume(saved, g) : create(g))
      .catch(() => {
        if (g !== gen) return;
        sess = null;
        each(pend, p => { if (p.status === 'sending' && !p.inChain) setStatus(p, 'queued'); });
        log.append(h('li', { class: 'err' }, h('div', { role: 'alert' }, T.startErr, h('button', { type: 'button', onclick: () => { backoff = 0; start(); } }, T.tryAgain))));
        retry(); // and by itself, on the back-off schedule
      })
      .finally(() => { starting = null; });
    return starting;
  }

  async function create(g) {
    const d = await api('POST', '', { locale: lang, visitor: visitor() });
    if (g !== gen) return;
    sess = { sessionId: d.sessionId, token: d.token };
    save();
    each(d.messages || [], addMsg);
    connect();
    flush();
  }

  async function resume(saved, g) {
    sess = { sessionId: saved.sessionId, token: saved.token };
    let hist = null;
    try { hist = (await api('GET', path())).messages || []; } catch (e) {
      if (g !== gen) return;
      if (gone(e)) { sess = null; persist(null); return create(g); }
      // offline: keep the session; the socket's sync will load it
    }
    if (g !== gen) return;
    each(hist || [], m => addMsg(m, true));
    // What came while the page was away counts as unread: the bot's, officers' and notices after the read mark.
    readId = saved.read || null;
    if (isOpen) readId = lastId;
    else {
      let after = !readId, n = 0;
      each(hist || [], m => { if (after && m.role !== 'petitioner') n++; if (m.id === readId) after = true; });
      unread = readId ? n : 0;
      showBadge();
    }
    // Messages typed before the reload that never got through: shown again, sent again (same id).
    const pending = saved.pending && typeof saved.pending === 'object' ? saved.pending : {};
    each(keys(pending), cid => {
      const p = pending[cid];
      if (!p || typeof p.text !== 'string') return;
      for (let i = 0; i < pend.length; i++) if (pend[i].cid === cid) return;
      let stored = false;
      each(hist || [], m => { if (m.role === 'petitioner' && m.clientMessageId === cid) stored = true; });
      if (!stored) addLocal(p.text, p.label, cid, p.at, 'queued');
    });
    save();
    connect();
    if (hist) flush();
  }

  function reset() {
    gen++;
    closeSocket();
    sess = null; lastId = null; lastAt = 0; lastMsg = null; lastOpts = null; readId = null; unread = 0;
    seen = Object.create(null); pend = [];
    persist(null);
    log.textContent = '';
    replies(); showNote(); setHint(); showBadge();
  }

  function newChat() {
    if (!confirmFn(T.confirmNew)) return;
    reset();
    start();
    (coarse ? heading : ta).focus();
  }

  function expired() {
    if (!sess) return;
    each(pend, p => { if (p.status !== 'sent' && p.status !== 'refused') setStatus(p, 'queued'); });
    gen++; closeSocket(); sess = null; persist(null);
    systemLine(T.expired);
    start();
  }

  // ---------- sending ----------
  function submit() {
    const text = ta.value;
    if (!text.trim()) return;
    if (text.length > MAX) { setHint(T.tooLong, true); ta.focus(); return; }
    if (send(text)) { ta.value = ''; grow(); setHint(); }
  }

  function send(text, label) {
    if (!text.trim() || text.length > MAX) return false;
    const p = addLocal(text, label && label !== text ? label : undefined, uuid(), new Date().toISOString(), 'sending');
    if (sess) sendOne(p);
    else start(); // sends it once the session exists
    return true;
  }

  // One message at a time, in the order typed; each keeps its clientMessageId, so a resend after a
  // lost answer is stored once.
  function sendOne(p) {
    if (p.inChain) return;
    p.inChain = true;
    chain = chain.then(() => deliver(p)).catch(() => {}).then(() => { p.inChain = false; });
  }

  async function deliver(p) {
    if (p.status === 'sent') return;
    let mine = false; // not from a conversation that was reset meanwhile
    each(pend, x => { if (x === p) mine = true; });
    if (!mine) return;
    if (!sess) { setStatus(p, 'queued'); return; }
    const g = gen;
    setStatus(p, 'sending');
    busy++; typing.hidden = false;
    if (nearEnd()) toEnd();
    try {
      const d = p.photo ? await upload(p) : await api('POST', path(), { text: p.text, clientMessageId: p.cid });
      if (g !== gen) return;
      setStatus(p, 'sent');
      showNote();
      backoff = 0;
      each(d.messages || [], addMsg);
    } catch (e) {
      if (g !== gen) return;
      if (e.status === 429) { setStatus(p, 'failed'); systemLine(T.rate); }
      else if (p.photo && (e.status === 400 || e.status === 413 || e.status === 415)) {
        // Refused for what the file is: said in the widget's words, with the hub's own reason.
        setStatus(p, 'refused');
        systemLine((e.status === 413 ? T.photoTooBig : T.photoRefused) + (e.said ? T.paren(e.said) : ''));
      }
      else if (e.status === 400) { setStatus(p, 'failed'); systemLine(T.rejected); }
      else if (e.status && gone(e)) expired();
      else { // the hub cannot be reached (or answered 5xx): resent when the connection is back
        setStatus(p, 'queued');
        showNote(T.offline);
        if (ws) retry(); // the socket has not noticed yet; try again on the back-off schedule
      }
    } finally {
      typing.hidden = !--busy;
    }
  }

  // The photo itself is the request body (docs/api.md, send a photo); the same X-Client-Message-Id on every try.
  function upload(p) {
    const f = p.photo;
    return api('POST', '/' + encodeURIComponent(sess.sessionId) + '/attachments', null, {
      body: f.blob,
      headers: { 'Content-Type': f.type, 'X-Client-Message-Id': p.cid, 'X-File-Name': encodeURIComponent(f.name) },
    });
  }

  // ---------- photos ----------
  // What the picker gave: each photo checked, made smaller when it is large (which also leaves its
  // EXIF data, GPS position included, behind), shown and sent as a message of its own, in order.
  async function pickedPhotos() {
    const files = [];
    each(picker.files || [], f => { files[files.length] = f; });
    picker.value = ''; // the same file can be picked again
    if (!files.length) return;
    setHint(T.preparing);
    let problem = '';
    for (let i = 0; i < files.length; i++) {
      let ready = null;
      try { ready = await preparePhoto(files[i]); } catch (_) { ready = { problem: T.notPhoto }; }
      if (ready.problem) { problem = ready.problem; continue; }
      const p = addLocal(null, undefined, uuid(), new Date().toISOString(), 'sending', ready);
      if (sess) sendOne(p);
      else start(); // sent once the session exists
    }
    setHint(problem, !!problem);
  }

  // {blob, type, name} to send, or {problem} to tell the petitioner. A photo larger than EDGE pixels
  // or SMALL bytes, or in a format the hub does not take (HEIC, AVIF, BMP), is redrawn as a JPEG of at
  // most EDGE pixels; one the browser cannot decode goes as it is, and the hub decides. GIFs are
  // left as they are (they may move).
  async function preparePhoto(file) {
    const type = String(file.type || '').toLowerCase();
    if ((type && !/^image\//.test(type)) || !file.size) return { problem: T.notPhoto };
    if (file.size > DECODE_MAX) return { problem: T.tooBig(PHOTO_MB) };
    let blob = file, out = type;
    const name = String(file.name || 'photo');
    let bmp = null;
    if (type !== 'image/gif' && toBitmap) {
      try { bmp = await toBitmap(file, { imageOrientation: 'from-image' }); } catch (_) {
        try { bmp = await toBitmap(file); } catch (_) { /* not decodable here */ } // (a browser that knows no such option)
      }
    }
    if (bmp) {
      const k = Math.min(1, EDGE / Math.max(bmp.width, bmp.height));
      if (k < 1 || file.size > SMALL || !PHOTO_TYPES.test(type)) {
        const c = document.createElement('canvas');
        c.width = Math.max(1, Math.round(bmp.width * k));
        c.height = Math.max(1, Math.round(bmp.height * k));
        const g = c.getContext('2d');
        let jpeg = null;
        if (g) {
          g.fillStyle = '#fff'; // a transparent PNG on white, not black
          g.fillRect(0, 0, c.width, c.height);
          g.drawImage(bmp, 0, 0, c.width, c.height);
          jpeg = await new Promise(done => { try { c.toBlob(done, 'image/jpeg', 0.85); } catch (_) { done(null); } });
        }
        c.width = c.height = 0; // its pixels can go now
        if (jpeg && jpeg.size && (k < 1 || jpeg.size < file.size || !PHOTO_TYPES.test(type))) {
          blob = jpeg; out = 'image/jpeg';
        }
      }
      if (bmp.close) bmp.close();
    }
    if (!PHOTO_TYPES.test(out)) return { problem: T.notPhoto };
    if (blob.size > PHOTO_MAX) return { problem: T.tooBig(PHOTO_MB) };
    return { blob, type: out, name: (out !== type ? name.replace(/\.[^.]*$/, '') + '.jpg' : name).slice(0, 200) };
  }

  function flush() {
    each(pend, p => { if (p.status === 'queued' || (p.status === 'sending' && !p.inChain)) sendOne(p); });
  }

  // ---------- live updates ----------
  function connect() {
    if (!sess || ws) return;
    const s = sess;
    let sock;
    try {
      sock = new Socket(hub.replace(/^http/, 'ws') + '/api/webchat/socket?sessionId=' + encodeURIComponent(s.sessionId) + '&token=' + encodeURIComponent(s.token));
    } catch (_) { return retry(); }
    ws = sock;
    let wasOpen = false;
    sock.onopen = () => { wasOpen = true; backoff = 0; cancel(wsTimer); wsTimer = 0; sync(); };
    sock.onmessage = e => {
      let d = null;
      try { d = parse(e.data); } catch (_) { return; }
      if (d && d.type === 'message' && sess === s) addMsg(d.message);
    };
    sock.onclose = () => {
      if (ws !== sock) return;
      ws = null;
      if (sess !== s) return;
      if (wasOpen) showNote(T.offline);
      retry();
    };
  }

  // Exponential back-off with jitter, 1 s up to 30 s; then the history is synced and the socket
  // reopened (or, when no session could be had yet, one is asked for again).
  function retry() {
    cancel(wsTimer);
    const delay = Math.min(30000, 1000 * 2 ** backoff++) * (0.6 + Math.random() * 0.4);
    wsTimer = later(() => { wsTimer = 0; if (sess) { sync(); connect(); } else start(); }, delay);
  }

  function closeSocket() {
    cancel(wsTimer); wsTimer = 0;
    const w = ws;
    ws = null;
    if (w) try { w.close(); } catch (_) { /* ignore */ }
  }

  // Whatever the hub stored since the last message shown (?after=), in the hub's order; then what
  // never got through is sent again.
  async function sync() {
    if (!sess) return;
    const g = gen;
    try {
      const d = await api('GET', path(lastId != null ? '?after=' + encodeURIComponent(lastId) : ''));
      if (g !== gen) return;
      each(d.messages || [], addMsg);
      showNote();
      flush();
    } catch (e) {
      if (g === gen && gone(e)) expired();
    }
  }

  const wake = () => { if (!sess) return; backoff = 0; if (ws) sync(); else connect(); };
  W.addEventListener('online', wake);
  document.addEventListener('visibilitychange', () => { if (!document.hidden) wake(); });

  // ---------- open / close / keys ----------
  function open(focus = true) {
    isOpen = true;
    panel.hidden = false;
    root.classList.add('open');
    launcher.setAttribute('aria-expanded', 'true');
    unread = 0; showBadge();
    readId = lastId; save();
    start();
    toEnd();
    if (focus) (coarse ? heading : ta).focus();
  }

  function close() {
    isOpen = false;
    panel.hidden = true;
    root.classList.remove('open');
    launcher.setAttribute('aria-expanded', 'false');
    launcher.focus();
  }

  const grow = () => { ta.style.height = 'auto'; ta.style.height = Math.min(ta.scrollHeight + 2, 140) + 'px'; };
  ta.addEventListener('input', () => {
    grow();
    const n = ta.value.length;
    if (n > MAX) setHint(T.tooLong + T.paren(n + '/' + MAX), true);
    else setHint(n > MAX - 500 ? n + '/' + MAX : '');
  });
  ta.addEventListener('keydown', e => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) { e.preventDefault(); submit(); }
  });
  panel.addEventListener('keydown', e => { if (e.key === 'Escape') { e.stopPropagation(); close(); } });
  document.addEventListener('click', e => {
    const t = e.target && e.target.closest && e.target.closest('[data-petition-chat-open]');
    if (t) { e.preventDefault(); open(); }
  });

  if (document.body) mount();
  else document.addEventListener('DOMContentLoaded', mount);
})();
