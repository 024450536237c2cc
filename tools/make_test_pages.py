#!/usr/bin/env python3
"""Builds the team's test pages (data/test/pages/) from the wildfire drop (data/test/wildfire):
each article becomes a web page in one of the shapes news sites use (JSON-LD NewsArticle with
Open Graph, AMP, a gallery with captions, a JSON-LD @graph page served gzip-compressed, a page
with no metadata in Windows-1252, microdata, a live blog with timestamps, Open Graph only), with
the furniture such pages carry (menus, cookie banner, share buttons, related links, ads,
comments, captions). Beside each page the same article as a .txt (header lines from the page's
metadata, then the body paragraphs) goes to data/test/pages/wildfire-txt/, so that a test can
check that both give the same facts; expected.tsv lists the metadata each page states.

Rerun after changing the shapes: python3 tools/make_test_pages.py (deterministic output).
"""
import gzip
import html
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / 'data/test/wildfire'
OUT = ROOT / 'data/test/pages/wildfire'
TXT = ROOT / 'data/test/pages/wildfire-txt'

# The metadata each page states (filled in where the .txt leaves a header out).
META = {
    '01_wire-en': dict(shape='jsonld', date='2026-07-29', lang='en', outlet='Example Wire',
                       url='https://example-wire.com/world/2026/07/29/sardinia-wildfire-evacuations'),
    '02_nachrichten-de': dict(shape='amp', date='2026-07-29', lang='de', outlet='Example Nachrichten',
                              url='https://example-nachrichten.de/panorama/2026/07/29/waldbrand-sardinien-hirte-tot-tausende-evakuiert'),
    '03_kabar-id': dict(shape='gallery', date='2026-07-29', lang='id', outlet='Kabar Contoh',
                        url='https://kabar-contoh.co.id/internasional/2026/07/29/kebakaran-hutan-sardinia-italia'),
    '04_cronaca-it': dict(shape='graph', date='2026-07-29', lang='it', outlet='Cronaca Sarda',
                          url='https://example-cronacasarda.it/nuoro/2026/07/29/incendio-lode-torpe-morto-pastore'),
    '05_diario-es': dict(shape='latin1', date='2026-07-30', lang='es', outlet='Diario Ejemplo',
                         url='https://diario-ejemplo.es/internacional/2026/07/30/incendio-cerdena'),
    '06_quotidien-fr': dict(shape='microdata', date='2026-07-30', lang='fr', outlet='Le Quotidien Exemple',
                            url='https://exemple-quotidien.fr/international/2026/07/30/sardaigne-incendie-12-400-hectares_4471.html'),
    '07_ziar-ro': dict(shape='liveblog', date='2026-07-30', lang='ro', outlet='Ziarul Exemplu',
                       url='https://ziarul-exemplu.ro/externe/2026/07/30/incendiu-sardinia-12400-hectare'),
    '08_jornal-pt': dict(shape='og', date='2026-07-31', lang='pt', outlet='Jornal Exemplo',
                         url='https://jornal-exemplo.pt/mundo/2026/07/31/sardenha-incendio-dominado'),
}

BYLINE = re.compile(r'^(By|Von|Oleh|Di|Por|Par|De|Dari)\s', re.I)


def split(text):
    """Header fields, headline, byline and the paragraphs (body or furniture) of a .txt."""
    lines = text.split('\n')
    headers = {}
    while lines and re.match(r'^(title|date|lang|outlet|url):', lines[0]):
        k, v = lines.pop(0).split(':', 1)
        headers[k] = v.strip()
    paras = [p.strip() for p in lines if p.strip()]
    headline = paras.pop(0)
    byline, body, furniture = None, [], []
    after_photo = False
    for p in paras:
        words = len(p.split())
        if BYLINE.match(p) and words <= 10:
            byline = p
        elif words >= 12 and p[-1] in '.!?"»”' and not after_photo:
            body.append(p)
        elif after_photo:
            furniture[-1] += ' ' + p
        else:
            furniture.append(p)
        after_photo = bool(re.match(r'^(Photo|Foto|Fotografía|Bild)\b', p, re.I)) and words <= 8
    return headers, headline, byline, body, furniture


CHROME_TOP = '''<header class="site-header"><nav class="menu"><ul><li><a href="/">Home</a></li>
<li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/culture">Culture</a></li><li><a href="javascript:void(0)" onclick="openSearch()">Search</a></li></ul></nav></header>
<div id="cookie-banner" class="consent">We use cookies to improve your experience and for advertising. By clicking "Accept" you consent to our use of cookies. <button>Accept</button> <button>Settings</button></div>
'''
CHROME_BOTTOM = '''<aside class="related"><h3>Related</h3><ul>
<li><a href="/a/1">Heatwave grips southern Europe as records fall</a></li>
<li><a href="/a/2">Greece battles fires on three islands</a></li>
<li><a href="/a/3">Opinion: Europe needs a common firefighting fleet</a></li></ul></aside>
<section id="comments" class="comments"><h3>Comments (3)</h3>
<div class="comment"><span class="user">marco77</span> Terrible news, my thoughts are with the families.</div>
<div class="comment"><span class="user">anna_b</span> Why are there never enough planes every summer?</div></section>
<footer class="site-footer"><p>© 2026 Example Media. All rights reserved.</p><ul><li><a href="/privacy">Privacy</a></li><li><a href="/terms">Terms</a></li><li><a href="/contact">Contact</a></li></ul></footer>
<script>window.dataLayer = window.dataLayer || []; function track(){ document.title = "tracked"; }</script>
<style>.consent{position:fixed;bottom:0}</style>
'''
SHARE = '<div class="share"><a href="https://facebook.com/share">Share on Facebook</a> <a href="https://twitter.com/share">Tweet</a> <a href="mailto:?">Email</a></div>\n'


def furniture_html(lines):
    out = []
    for f in lines:
        e = html.escape(f)
        if re.match(r'^(Photo|Foto|Fotografía|Bild)\b', f, re.I):
            out.append(f'<figure><img src="/img/canadair.jpg" alt=""><figcaption>{e}</figcaption></figure>')
        elif re.search(r'(lire aussi|leia também|read also|lesen sie|leggi anche|baca juga|citește și|lea también)', f, re.I):
            out.append(f'<aside class="read-also"><a href="/related">{e}</a></aside>')
        elif re.search(r'(publicidad|publicidade|anzeige|advertisement|pubblicità|publicitate|iklan)', f, re.I):
            out.append(f'<div class="ad-slot">{e}</div>')
        else:
            out.append(f'<div class="social-promo"><a href="/follow">{e}</a></div>')
    return out


def page(stem, headers, headline, byline, body, furniture, meta):
    shape = meta['shape']
    title = headers.get('title', headline)
    t, h = html.escape(title), html.escape(headline)
    date, lang, outlet, url = meta['date'], meta['lang'], meta['outlet'], meta['url']
    paras = [f'<p>{html.escape(p)}</p>' for p in body]
    # Furniture goes between the paragraphs, where sites put it.
    extra = furniture_html(furniture)
    mixed = []
    for i, p in enumerate(paras):
        mixed.append(p)
        if i == len(paras) // 2 and extra:
            mixed.append(extra.pop(0))
    mixed.extend(extra)
    by = f'<div class="byline">{html.escape(byline)}</div>\n' if byline else ''
    ld = {'@context': 'https://schema.org', '@type': 'NewsArticle', 'headline': title,
          'datePublished': f'{date}T09:30:00+02:00', 'dateModified': f'{date}T18:05:00+02:00',
          'author': {'@type': 'Person', 'name': (byline or 'Staff').split(' ', 1)[-1]},
          'publisher': {'@type': 'Organization', 'name': outlet}, 'inLanguage': lang,
          'mainEntityOfPage': url}
    head, body_html, html_attr = [], '', f' lang="{lang}"'
    charset = '<meta charset="utf-8">'
    article = f'<article><h1>{h}</h1>\n{by}{SHARE}' + '\n'.join(mixed) + '\n</article>\n'
    if shape == 'jsonld':
        head += [f'<title>{t} | {outlet}</title>', f'<meta property="og:title" content="{t}">',
                 f'<meta property="og:site_name" content="{outlet}">', '<meta property="og:type" content="article">',
                 f'<link rel="canonical" href="{url}">',
                 f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>']
    elif shape == 'amp':
        html_attr = f' ⚡ lang="{lang}"'
        head += [f'<title>{t}</title>', f'<link rel="canonical" href="{url}">',
                 '<script async src="https://cdn.ampproject.org/v0.js"></script>',
                 '<style amp-boilerplate>body{visibility:hidden}</style>',
                 f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>']
        article = article.replace('<figure><img src="/img/canadair.jpg" alt="">',
                                  '<figure><amp-img src="/img/canadair.jpg" width="800" height="450" layout="responsive"></amp-img>')
    elif shape == 'gallery':
        html_attr = ''
        head += [f'<title>{t} - {outlet}</title>', f'<meta property="og:title" content="{t}">',
                 f'<meta property="og:site_name" content="{outlet}">', f'<meta property="og:locale" content="{lang}_ID">',
                 f'<meta property="og:url" content="{url}">']
        gallery = ''.join(
            f'<figure class="gallery-item"><img src="/g/{i}.jpg" alt="Foto {i}"><figcaption>Foto {i}: Petugas pemadam kebakaran di dekat Lodè, Sardinia. (Kabar Contoh/AFP)</figcaption></figure>'
            for i in range(1, 5))
        article = article.replace(SHARE, SHARE + f'<time datetime="{date}T10:15:00+07:00">{date}</time>\n<div class="gallery">{gallery}</div>\n')
    elif shape == 'graph':
        html_attr = ''
        graph = {'@context': 'https://schema.org', '@graph': [
            {'@type': 'WebSite', 'name': outlet, 'url': url.split('/nuoro')[0]},
            {'@type': 'Organization', 'name': outlet},
            dict(ld, **{'@type': ['NewsArticle'], 'author': [{'@type': 'Person', 'name': 'Redazione'}, {'name': 'Giovanni Serra'}]}),
        ]}
        graph['@graph'][2].pop('inLanguage')
        head += [f'<title>{t}</title>', f'<meta property="og:locale" content="{lang}_IT">',
                 f'<meta property="og:title" content="{t}">', f'<link rel="canonical" href="{url}">',
                 f'<script type="application/ld+json">{json.dumps(graph, ensure_ascii=False)}</script>']
    elif shape == 'latin1':
        charset = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        head += [f'<title>{t}</title>', f'<meta name="date" content="{date}">',
                 f'<meta name="application-name" content="{outlet}">', f'<link rel="canonical" href="{url}">']
    elif shape == 'microdata':
        html_attr = f' lang="{lang}-FR"'
        head += [f'<title>{t} - {outlet}</title>', f'<meta property="og:site_name" content="{outlet}">',
                 f'<link rel="canonical" href="{url}">']
        article = article.replace('<article>', f'<article itemscope itemtype="https://schema.org/NewsArticle"><meta itemprop="headline" content="{t}"><meta itemprop="datePublished" content="{date}T07:00:00+02:00">')
    elif shape == 'liveblog':
        live = dict(ld, **{'@type': 'LiveBlogPosting', 'coverageStartTime': f'{date}T06:00:00+03:00'})
        head += [f'<title>LIVE {t}</title>', f'<meta property="og:title" content="{t}">',
                 f'<meta property="og:site_name" content="{outlet}">', f'<link rel="canonical" href="{url}">',
                 f'<script type="application/ld+json">{json.dumps(live, ensure_ascii=False)}</script>']
        entries = []
        for i, p in enumerate(body):
            hh = 9 + i
            entries.append(f'<div class="live-entry"><time datetime="{date}T{hh:02d}:00:00+03:00">{hh:02d}:00</time><p>{html.escape(p)}</p></div>')
        entries.reverse()
        article = (f'<article><h1>{h}</h1>\n{by}{SHARE}<div class="live-feed">' + '\n'.join(entries)
                   + '</div>\n' + '\n'.join(furniture_html(furniture)) + '\n</article>\n')
    elif shape == 'og':
        head += [f'<title>{t} | {outlet}</title>', f'<meta property="og:title" content="{t}">',
                 f'<meta property="og:site_name" content="{outlet}">', '<meta property="og:type" content="article">',
                 f'<meta property="article:published_time" content="{date}T08:12:00+01:00">',
                 f'<meta property="article:modified_time" content="{date}T11:40:00+01:00">',
                 f'<meta property="og:url" content="{url}">',
                 '<meta property="og:description" content="Fogo consumiu 12.400 hectares.">']
        article = article.replace('</article>', '<div class="paywall-teaser">Assine o Jornal Exemplo para ler todas as notícias sem limites.</div></article>')
    doc = (f'<!DOCTYPE html>\n<html{html_attr}>\n<head>\n{charset}\n' + '\n'.join(head)
           + f'\n</head>\n<body>\n{CHROME_TOP}<main>\n{article}</main>\n{CHROME_BOTTOM}</body>\n</html>\n')
    return doc


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    TXT.mkdir(parents=True, exist_ok=True)
    rows = ['file\ttitle\tdate\tlang\toutlet\turl\tshape']
    for src in sorted(SRC.glob('*.txt')):
        stem = src.stem
        meta = META[stem]
        headers, headline, byline, body, furniture = split(src.read_text(encoding='utf-8'))
        title = headers.get('title', headline)
        doc = page(stem, headers, headline, byline, body, furniture, meta)
        if meta['shape'] == 'graph':
            name = f'{stem}.html.gz'
            (OUT / name).write_bytes(gzip.compress(doc.encode('utf-8'), mtime=0))
        elif meta['shape'] == 'latin1':
            name = f'{stem}.html'
            (OUT / name).write_bytes(doc.encode('cp1252', errors='xmlcharrefreplace'))
        else:
            name = f'{stem}.html'
            (OUT / name).write_text(doc, encoding='utf-8')
        txt = (f"title: {title}\ndate: {meta['date']}\nlang: {meta['lang']}\nurl: {meta['url']}\n"
               f"outlet: {meta['outlet']}\n\n" + '\n\n'.join(body) + '\n')
        (TXT / f'{stem}.txt').write_text(txt, encoding='utf-8')
        rows.append('\t'.join([name, title, meta['date'], meta['lang'], meta['outlet'], meta['url'], meta['shape']]))
    (OUT.parent / 'expected.tsv').write_text('\n'.join(rows) + '\n', encoding='utf-8')


if __name__ == '__main__':
    main()
