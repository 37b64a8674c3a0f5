import { describe, expect, it } from 'vitest';
import { importBytes } from '../../main/core/import/formats';
import { importHtml } from '../../main/core/import/html';
import { decodeText } from '../../main/core/import/text';
import type { Block } from '../../shared/model';
import { plainText } from '../../shared/plain-text';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const para = (text: string): Block => ({ type: 'paragraph', text });

describe('HTML to blocks', () => {
  it('keeps headings, paragraphs, quotes, lists and tables as readable blocks', () => {
    const { blocks } = importHtml(`<!doctype html><html><body>
      <h1>Title <em>here</em></h1>
      <p>One<br>two   three</p>loose text<div><p>in a div</p></div>
      <ul><li>a<ul><li>b</li></ul></li><li><p>c</p></li></ul>
      <ol><li>first</li></ol>
      <dl><dt>term</dt><dd>its definition</dd></dl>
      <table><caption>Arrests</caption><tr><th>Year</th><th>Count</th></tr><tr><td>2011</td><td><p>12</p></td></tr></table>
      <pre>  line one
  line two</pre>
      <blockquote><p>quoted</p><blockquote>deeper</blockquote></blockquote>
      <hr><h7>not a heading</h7></body></html>`);
    expect(blocks).toEqual([
      { type: 'heading', level: 1, text: 'Title here' },
      para('One\ntwo three'),
      para('loose text'),
      para('in a div'),
      { type: 'list', ordered: false, items: [[para('a'), { type: 'list', ordered: false, items: [[para('b')]] }], [para('c')]] },
      { type: 'list', ordered: true, items: [[para('first')]] },
      { type: 'list', ordered: false, items: [[para('term')], [para('its definition')]] },
      para('Arrests'),
      para('Year | Count'),
      para('2011 | 12'),
      para('  line one\n  line two'),
      { type: 'blockquote', children: [para('quoted'), { type: 'blockquote', children: [para('deeper')] }] },
      para('not a heading'),
    ]);
  });

  it('names images and media in placeholders, never their addresses', () => {
    const r = importHtml('<p>See <img src="https://tracker.example/pixel.gif?u=1"> and <img alt="A map of the border" src="map.png"> <video title="Interview"></video><audio src="/a/b/call%201.mp3"></audio></p>');
    expect(r.blocks).toEqual([para('See [Image: pixel.gif] and [Image: A map of the border] [Video: Interview] [Audio: call 1.mp3]')]);
    expect(r.notes).toEqual(['2 images became placeholders naming them.', '1 video became a placeholder naming it.', '1 audio became a placeholder naming it.']);
  });

  it('takes the citation fields the head states, and only those', () => {
    const { meta } = importHtml(`<html><head><title>Page  title</title>
      <meta name="citation_author" content="Kim Ji-woo"><meta name="author" content="Someone else">
      <meta property="og:site_name" content="Daily NK"><meta property="article:published_time" content="2019-07-02T08:00:00+09:00">
      <link rel="canonical" href="https://example.org/a?b=1"></head><body><p>x</p></body></html>`);
    expect(meta).toEqual({ title: 'Page title', author: 'Kim Ji-woo', publication: 'Daily NK', date: '2019-07-02', url: 'https://example.org/a?b=1' });
    expect(importHtml('<p>x</p>').meta).toEqual({ title: '', author: '', publication: '', date: '', url: '' });
    expect(importHtml('<head><link rel=canonical href="javascript:alert(1)"></head><p>x</p>').meta.url).toBe('');
  });
});

describe('HTML that must not execute', () => {
  const payloads: [string, string][] = [
    ['<script>alert(1)</script><p>kept</p>', 'kept'],
    ['<p>a<img src=x onerror="alert(1)">b</p>', 'a [Image: x] b'],
    ['<p><a href="javascript:alert(1)">link text</a></p>', 'link text'],
    ['<style>p{background:url(https://x)}</style><p>styled</p>', 'styled'],
    ['<iframe src="https://evil.example"></iframe><p>after</p>', 'after'],
    ['<form action="https://x"><input value="secret"><button>Send</button>form text</form><p>p</p>', 'p'],
    ['<svg><script>alert(1)</script><text>svg</text></svg><p>p</p>', '[Image]\n\np'],
    ['<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', ''],
    ['<noscript><p title="</noscript><img src=x onerror=alert(1)>">', '[Image: x] ">'],
    ['<template><script>alert(1)</script><p>in template</p></template><p>p</p>', 'p'],
    ['<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>', '<script>alert(1)</script>'],
    ['<object data="x.swf"><embed src="y.swf"></object><p>p</p>', 'p'],
    ['<p onclick="alert(1)" style="x">handler</p>', 'handler'],
  ];
  it.each(payloads)('%s', (html, text) => {
    const { blocks } = importHtml(html);
    // Nothing but text comes out; what a payload leaves is inert text.
    expect(plainText(blocks)).toBe(text);
    const keys = new Set<string>();
    JSON.stringify(blocks, (k, v: unknown) => (keys.add(k), v));
    expect([...keys].filter((k) => k !== '' && !/^\d+$/.test(k)).sort()).toEqual(['children', 'items', 'level', 'ordered', 'text', 'type'].filter((k) => keys.has(k)));
  });
});

describe('hostile HTML', () => {
  it('reads a page nested 100,000 levels deep as text, without running out of stack', () => {
    const deep = '<div>'.repeat(100_000) + 'deep text' + '</div>'.repeat(100_000);
    expect(importHtml(deep).blocks).toEqual([para('deep text')]);
    const inline = '<b>'.repeat(100_000) + 'bold' + '</b>'.repeat(100_000);
    expect(importHtml(inline).blocks).toEqual([para('bold')]);
  });

  it('reads a million line breaks in one paragraph without going quadratic', () => {
    const { blocks } = importHtml(`<p>a${'<br>'.repeat(1_000_000)}b</p><pre>x${'\n'.repeat(1_000_000)}y${' '.repeat(1_000_000)}</pre>`);
    expect(blocks.map((b) => (b.type === 'paragraph' ? b.text.length : 0))).toEqual([1_000_002, 1_000_002]);
  }, 20_000);

  it('refuses a page of more than 24 MB of markup', async () => {
    const big = `<p>${'word '.repeat(5_100_000)}</p>`;
    expect(() => importHtml(big)).toThrow(/too large to import \(24 MB of markup; the limit is 24 MB\)/);
  });

  it('reads the charset a page declares, and Windows-1252 as browsers do', async () => {
    const bytes = Uint8Array.from([...Buffer.from('<meta charset="windows-1252"><p>'), 0x93, 0x63, 0x61, 0x66, 0xe9, 0x94, 0x20, 0x80, 0x35, ...Buffer.from('</p>')]);
    expect((await importBytes('page.html', bytes)).blocks).toEqual([para('“café” €5')]);
    expect(decodeText(Uint8Array.from([0x80, 0x93, 0x9f]), 'windows-1252').text).toBe('€“Ÿ');
  });

  it('titles a page after its file name when it has no title', async () => {
    expect((await importBytes('field notes.html', utf8('<p>x</p>'))).meta.title).toBe('field notes');
  });
});
