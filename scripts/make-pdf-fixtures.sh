#!/usr/bin/env bash
# Makes the PDF importer's fixtures (tests/fixtures/import/pdf/) with real tools: LibreOffice for a
# paged document, Chromium for a two-column page and an image-only page, qpdf for encryption.
# The files are committed: CI reads them and needs none of these tools. See tests/fixtures/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

out=tests/fixtures/import/pdf
for tool in soffice /usr/bin/chromium qpdf pdftotext; do
  command -v "$tool" >/dev/null || { echo "make-pdf-fixtures: $tool is needed (LibreOffice, Chromium, qpdf, poppler-utils)" >&2; exit 1; }
done
# The Korean paragraph needs a Korean font, or LibreOffice draws empty boxes (Debian: fonts-nanum).
fc-list :lang=ko family | grep NanumMyeongjo >/dev/null || { echo "make-pdf-fixtures: the NanumMyeongjo font is needed (apt-get install fonts-nanum)" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

# 1. letters.pdf: a three-page LibreOffice document (A5): a title, numbered section headings at
# two sizes, paragraphs separated by spacing in section 1 and by first-line indents (no spacing)
# in section 2, a paragraph running over a page break, soft hyphens in long words (some fall at
# line ends), a hard-hyphened compound at a line end (forced line break), ligature words,
# Portuguese and Korean, a running header and a footer with "page N of M".
cat > "$work/letters.fodt" <<'FODT'
<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
  xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
  xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
  xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
  xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
  office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.text">
 <office:meta>
  <dc:title>Letters across the border</dc:title>
  <meta:initial-creator>Ana Lima</meta:initial-creator>
  <dc:creator>Ana Lima</dc:creator>
  <dc:subject>Gloss PDF import fixture</dc:subject>
  <meta:creation-date>2024-03-05T10:00:00</meta:creation-date>
 </office:meta>
 <office:font-face-decls>
  <style:font-face style:name="Liberation Serif" svg:font-family="'Liberation Serif'" style:font-family-generic="roman"/>
  <style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss"/>
  <style:font-face style:name="NanumMyeongjo" svg:font-family="NanumMyeongjo"/>
 </office:font-face-decls>
 <office:styles>
  <style:default-style style:family="paragraph">
   <style:paragraph-properties fo:text-align="justify"/>
   <style:text-properties style:font-name="Liberation Serif" fo:font-size="11pt" style:font-name-asian="NanumMyeongjo" style:font-size-asian="11pt" style:font-name-complex="Liberation Serif" fo:language="en" fo:country="GB" fo:hyphenate="true"/>
  </style:default-style>
  <style:style style:name="Standard" style:family="paragraph"/>
  <style:style style:name="Spaced" style:family="paragraph">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.3cm" fo:line-height="115%"/>
  </style:style>
  <style:style style:name="Indented" style:family="paragraph">
   <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0cm" fo:text-indent="0.6cm" fo:line-height="115%"/>
  </style:style>
  <style:style style:name="Title" style:family="paragraph">
   <style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.5cm"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="20pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:default-outline-level="1">
   <style:paragraph-properties fo:text-align="start" fo:margin-top="0.4cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="15pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:default-outline-level="2">
   <style:paragraph-properties fo:text-align="start" fo:margin-top="0.3cm" fo:margin-bottom="0.15cm" fo:keep-with-next="always"/>
   <style:text-properties style:font-name="Liberation Sans" fo:font-size="13pt" fo:font-weight="bold"/>
  </style:style>
  <style:style style:name="Header" style:family="paragraph">
   <style:paragraph-properties fo:text-align="end"/>
   <style:text-properties fo:font-size="9pt" fo:font-style="italic"/>
  </style:style>
  <style:style style:name="Footer" style:family="paragraph">
   <style:paragraph-properties fo:text-align="center"/>
   <style:text-properties fo:font-size="9pt"/>
  </style:style>
 </office:styles>
 <office:automatic-styles>
  <style:page-layout style:name="A5">
   <style:page-layout-properties fo:page-width="14.8cm" fo:page-height="21cm" fo:margin-top="1.5cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
   <style:header-style><style:header-footer-properties fo:min-height="0cm" fo:margin-bottom="0.4cm"/></style:header-style>
   <style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.4cm"/></style:footer-style>
  </style:page-layout>
 </office:automatic-styles>
 <office:master-styles>
  <style:master-page style:name="Standard" style:page-layout-name="A5">
   <style:header><text:p text:style-name="Header">Working paper 3 — Letters</text:p></style:header>
   <style:footer><text:p text:style-name="Footer">Page <text:page-number text:select-page="current">1</text:page-number> of <text:page-count>3</text:page-count></text:p></style:footer>
  </style:master-page>
 </office:master-styles>
 <office:body>
  <office:text>
   <text:p text:style-name="Title">Letters across the border</text:p>
   <text:p text:style-name="Spaced">This working paper describes how families keep in touch across the border. The official channels are closed, so letters travel by hand, and each flight of news is a risk for the carrier and for the family that waits.</text:p>
   <text:h text:style-name="Heading_20_1" text:outline-level="1">1. Carriers and routes</text:h>
   <text:p text:style-name="Spaced">Car&#xAD;ri&#xAD;ers are traders and rel&#xAD;a&#xAD;tives and, now and then, of&#xAD;fi&#xAD;cials who look away. Ev&#xAD;ery route changes with the sea&#xAD;son and with the in&#xAD;ten&#xAD;si&#xAD;ty of repres&#xAD;sion on ei&#xAD;ther side: when sur&#xAD;veil&#xAD;lance tightens, let&#xAD;ters wait for weeks in a draw&#xAD;er, and the car&#xAD;ri&#xAD;ers de&#xAD;mand more mon&#xAD;ey for the same risk of in&#xAD;ter&#xAD;ro&#xAD;ga&#xAD;tion.</text:p>
   <text:p text:style-name="Spaced">One carrier described the route as a chain of favours. She spoke of a North-<text:line-break/>Korean border guard who took cigarettes, of a broker in Yanji who kept the letters in a rice sack, and of the long wait before a reply came back by the same road.</text:p>
   <text:p text:style-name="Spaced">As cartas chegam à fronteira com atraso; a confiança é frágil e a informação circula de mão em mão. Ninguém sabe quanto tempo uma resposta vai demorar.</text:p>
   <text:p text:style-name="Spaced">편지는 국경을 넘어 가족에게 전달됩니다. 북한의 가족들은 몇 달 동안 답장을 기다립니다.</text:p>
   <text:h text:style-name="Heading_20_1" text:outline-level="1">2. What the letters say</text:h>
   <text:p text:style-name="Indented">Most letters are short. They confirm that the sender is alive, name the people who are well, and ask for money or medicine. Few of them speak of politics; the writers know that a letter may be opened, and that an unguarded sentence can cost a relative a job, a house or a place at school.</text:p>
   <text:p text:style-name="Indented">The longer letters are written over several days. A mother writes a page each evening, then gives the bundle to the carrier when the river is low. Her son keeps every page, in the order they came, and reads them again on the anniversary of his crossing. The handwriting changes from page to page: tired on one evening, careful on the next, hurried on the night before the carrier left. He says he can tell from the writing alone whether the week was a good one.</text:p>
   <text:h text:style-name="Heading_20_2" text:outline-level="2">2.1 Money and news</text:h>
   <text:p text:style-name="Indented">Money travels with the letters but never in them. The carrier keeps a ledger in her head, and a code word in the letter tells the family how much to collect and from whom. The system rests on trust, and trust rests on the reputation of the carrier among the families on both sides.</text:p>
   <text:p text:style-name="Indented">News travels faster than money. A rumour that a carrier has been arrested reaches the families within days, and the letters stop until a new route is found. The administration of these routes is informal but precise, and its failures are remembered for years by everyone who depended on them.</text:p>
   <text:p text:style-name="Indented">The well-known routes are the first to close. A carrier who has worked for ten years is a well-<text:line-break/>known face to the guards as well.</text:p>
   <text:p text:style-name="Indented">The families describe the waiting as the hardest part. Every week without a letter is read as a sign, and every letter that arrives is read many times, aloud and in silence, before it is put away with the others.</text:p>
   <text:h text:style-name="Heading_20_1" text:outline-level="1">3. Silence</text:h>
   <text:p text:style-name="Spaced">Some families stop writing. The reasons they give are fear, cost and the sense that nothing they could write would be true for long. A daughter who had written every month for six years stopped when her brother was sent to a labour camp; she did not want her letters to be read as his.</text:p>
   <text:p text:style-name="Spaced">Silence is also a message. The families on the other side learn to read it, and the carriers learn not to ask.</text:p>
  </office:text>
 </office:body>
</office:document>
FODT
soffice -env:UserInstallation="file://$work/lo-profile" --headless --convert-to pdf --outdir "$work" "$work/letters.fodt" >/dev/null
cp "$work/letters.pdf" "$out/letters.pdf"

# Chromium prints without its own header and footer (they hold the date and the file's path).
print_pdf() { /usr/bin/chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$2" "$1" 2>/dev/null; }

# 2. columns.pdf: one A5 page printed by Chromium from HTML with CSS columns: a title and a lead
# paragraph across the page, two justified columns (headings, a paragraph that runs from the foot
# of the left column to the head of the right one, soft hyphens, the ligature code points U+FB01
# and U+FB02 typed in the text, ligatures made by the font), and a closing paragraph across both.
cat > "$work/columns.html" <<'HTML'
<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Two columns on the border</title>
<style>
@page { size: A5; margin: 1.5cm; }
body { font: 10pt/1.35 "DejaVu Serif"; margin: 0; }
h1 { font: bold 17pt "DejaVu Sans"; margin: 0 0 0.4em; }
h2 { font: bold 12pt "DejaVu Sans"; margin: 0.6em 0 0.3em; }
.lead { font-size: 10pt; margin: 0 0 1em; }
.cols { column-count: 2; column-gap: 2.4em; text-align: justify; hyphens: manual; }
.cols p { margin: 0 0 0.5em; }
</style></head>
<body>
<h1>Two columns on the border</h1>
<p class="lead">A page printed by Chromium from HTML with CSS columns: the reader must finish the left column before the right one, and never read across the gutter.</p>
<div class="cols">
<h2>The left column</h2>
<p>The first column opens with a paragraph that runs over several lines, so that each of its lines sits beside a line of the second column at the same height on the page. An importer that joins lines by height alone would read across the gap and mix the two.</p>
<p>The second paragraph mentions the official records, the first flight and the ﬁnal ﬂood, and ends with words that are hy&shy;phen&shy;at&shy;ed at the ends of lines when the col&shy;umn is nar&shy;row: in&shy;ter&shy;ro&shy;ga&shy;tion, sur&shy;veil&shy;lance, re&shy;pres&shy;sion.</p>
<p>A third paragraph is here so that the column is long enough to need the second one: the text flows on from the bottom of this column to the top of the next, in the middle of a sentence, as columns do in newspapers and in journals. Nothing marks the jump but the end of the column, and a reader who knows the page follows it without thinking, from the foot of one column to the head of the next.</p>
<h2>The right column</h2>
<p>The right column ends the page. Its paragraphs are read only after every line of the left column.</p>
<p>Uma frase em português, com acentos: coração, ação e informação.</p>
</div>
<p class="lead">This closing paragraph spans both columns again, below them.</p>
</body></html>
HTML
print_pdf "$work/columns.html" "$out/columns.pdf"

# 3. encrypted.pdf: columns.pdf encrypted (AES-256) with a user password, so it cannot be opened
# without one; owner-password.pdf: the same with only an owner password (restrictions, no
# password to open), which readers open as usual.
qpdf --encrypt user-secret owner-secret 256 -- "$out/columns.pdf" "$out/encrypted.pdf"
qpdf --encrypt '' owner-secret 256 --extract=n --modify=none -- "$out/columns.pdf" "$out/owner-password.pdf"

# 4. scanned.pdf: a page that is only an image of text (as a scanner makes), no text layer: a
# screenshot Chromium takes of some text, printed by Chromium from a page holding only that image.
cat > "$work/scan-source.html" <<'HTML'
<!doctype html><html><head><meta charset="utf-8"><style>body { margin: 30px; font: 30px "DejaVu Serif"; background: #fff; }</style></head>
<body><p>This page was scanned: it is a picture of text, with no text layer in the PDF.</p></body></html>
HTML
/usr/bin/chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=700,200 --screenshot="$work/scan.png" "$work/scan-source.html" 2>/dev/null
cat > "$work/scanned.html" <<'HTML'
<!doctype html><html><head><meta charset="utf-8"><title>Scanned page</title>
<style>@page { size: A5; margin: 1cm; } body { margin: 0; } img { width: 100%; }</style></head>
<body><img src="scan.png" alt=""></body></html>
HTML
print_pdf "$work/scanned.html" "$out/scanned.pdf"

# 5. rtl.pdf (Chromium): a Hebrew paragraph of two lines and an Arabic one, both right-to-left
# and right-aligned, then an English line.
cat > "$work/rtl.html" <<'HTML'
<!doctype html><html lang="he"><head><meta charset="utf-8"><title>Right to left</title>
<style>@page { size: A5; margin: 1.5cm; } body { font: 12pt "DejaVu Sans"; }</style></head><body>
<p dir="rtl">שלום עולם, זוהי שורה בעברית שנמשכת הלאה כדי לראות איך הטקסט נשבר בין שורות בעמוד הזה.</p>
<p dir="rtl">مرحبا بالعالم، هذا سطر باللغة العربية.</p>
<p lang="en">An English line after them.</p></body></html>
HTML
print_pdf "$work/rtl.html" "$out/rtl.pdf"

# What the fixtures hold, as Debian's pdftotext (poppler) reads them: an independent reading the
# tests compare the importer's letters with, so that CI needs no poppler.
for f in letters columns rtl; do pdftotext -enc UTF-8 "$out/$f.pdf" "$out/$f.pdftotext.txt"; done
if pdftotext "$out/scanned.pdf" - | grep '[[:alnum:]]' >/dev/null; then echo "make-pdf-fixtures: scanned.pdf has a text layer" >&2; exit 1; fi
ls -l "$out"
