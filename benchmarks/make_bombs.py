"""Write crafted Excel workbooks whose shared strings unpack to far more than the file's size, to test
and benchmark how casecoach bounds the memory one upload can take.

Usage: python benchmarks/make_bombs.py OUT.xlsx [--count 250000] [--length 1000] [--distinct 0]
"""
from __future__ import annotations

import argparse
import random
import zipfile


def build_bomb(path, count, length, distinct):
    """An .xlsx whose sharedStrings.xml holds `count` strings of `length` characters, each starting
    with `distinct` random hex digits (0: all alike, a classic bomb); the sheet uses the first three."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            '</Types>'))
        z.writestr("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                  f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}"><sheets>'
                                      '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                                 f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
                                                 f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        rows = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>{r - 1}</v></c></row>' for r in range(1, 4))
        z.writestr("xl/worksheets/sheet1.xml", f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}>'
                                               f'<dimension ref="A1:A3"/><sheetData>{rows}</sheetData></worksheet>')
        rnd = random.Random(1)
        pad = "A" * (length - distinct)
        with z.open("xl/sharedStrings.xml", "w") as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} count="{count}" uniqueCount="{count}">'.encode())
            for start in range(0, count, 1000):
                fh.write("".join(f"<si><t>{rnd.getrandbits(4 * distinct):0{distinct}x}{pad}</t></si>" if distinct
                                 else f"<si><t>{pad}</t></si>" for _ in range(start, min(start + 1000, count))).encode())
            fh.write(b"</sst>")
    return str(path)


def main() -> None:
    """Write one workbook from the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=250_000)
    parser.add_argument("--length", type=int, default=1000)
    parser.add_argument("--distinct", type=int, default=0)
    args = parser.parse_args()
    print(build_bomb(args.out, args.count, args.length, args.distinct))


if __name__ == "__main__":
    main()
