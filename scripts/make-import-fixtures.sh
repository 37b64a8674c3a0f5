#!/usr/bin/env bash
# Makes the DOCX, ODT and EPUB import fixtures in tests/fixtures/import/ from
# tests/fixtures/import/src/interview.md, with pandoc and LibreOffice (see tests/fixtures/README.md,
# "import/"). Timestamps come from SOURCE_DATE_EPOCH where the tools honour it.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="$root/tests/fixtures/import"
src="$out/src/interview.md"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

command -v pandoc >/dev/null || { echo "pandoc is needed" >&2; exit 1; }
command -v soffice >/dev/null || { echo "LibreOffice (soffice) is needed" >&2; exit 1; }

export SOURCE_DATE_EPOCH=1562025600 # 2019-07-02T00:00:00Z

# The image the source refers to: a 4×4 red PNG.
base64 -d >"$work/map.png" <<'PNG'
iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEElEQVR42mM4IScHRwzEcQCxYxBB00rMDQAAAABJRU5ErkJggg==
PNG
cp "$src" "$work/interview.md"

cd "$work"
pandoc interview.md -o "$out/interview.pandoc.docx"
pandoc interview.md -o "$out/interview.pandoc.odt"
pandoc interview.md -o "$out/interview.pandoc.epub"

# LibreOffice's own writers: the pandoc DOCX saved as ODT, and the pandoc ODT saved as DOCX.
# A private profile keeps the user's LibreOffice settings out of it.
profile="file://$work/lo-profile"
mkdir -p "$work/lo"
cp "$out/interview.pandoc.docx" "$work/lo/from-docx.docx"
cp "$out/interview.pandoc.odt" "$work/lo/from-odt.odt"
# (Its warning that Java is missing is noise: no Java is used.)
lo() { soffice "-env:UserInstallation=$profile" --headless "$@" >/dev/null 2> >(grep -v javaldx >&2 || true); }
lo --convert-to odt --outdir "$work/lo/odt" "$work/lo/from-docx.docx"
lo --convert-to docx:"MS Word 2007 XML" --outdir "$work/lo/docx" "$work/lo/from-odt.odt"
cp "$work/lo/odt/from-docx.odt" "$out/interview.libreoffice.odt"
cp "$work/lo/docx/from-odt.docx" "$out/interview.libreoffice.docx"

for f in "$out"/interview.*.{docx,odt,epub}; do
  size=$(stat -c %s "$f")
  if [ "$size" -gt 51200 ]; then echo "$f is $size bytes, over 50 KB" >&2; exit 1; fi
  echo "$(basename "$f"): $size bytes"
done
echo "pandoc $(pandoc --version | head -1 | cut -d' ' -f2), $(soffice --version | cut -d' ' -f1-2)"
