"""The writers of the export's files, one per format, fed record by record (or flat row by
flat row) so that memory stays flat however many rows there are.

CSV is UTF-8 with a BOM (so Excel reads the Chinese); JSON Lines carry complete records.
XLSX is written by `XlsxStream` rather than openpyxl's write-only mode: on the same data
openpyxl took about 7 µs per cell (four minutes for a million orders); the stream writes the
same SpreadsheetML (inline strings) directly, and the tests read its files back with openpyxl.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any, Final
from xml.sax.saxutils import escape

from app.services.exchange.export_columns import FREE_TEXT, KNOWN_COLUMNS, Record
from app.services.exchange.export_csv_lines import CsvLines

XLSX_MAX_ROWS: Final = 1_048_575  # a sheet's rows, less the header


class _Sink:
    def __init__(self, path: Path, dataset: str, columns: Sequence[str] = ()) -> None:
        self.path, self.dataset, self.rows = path, dataset, 0

    def write(self, record: Record) -> None:
        """A record; the flat formats take its values in column order."""
        raise NotImplementedError

    def write_row(self, values: Sequence[Any]) -> None:
        """Values in column order, each a str, int or None (the flat formats only)."""
        raise NotImplementedError

    def write_rows(self, rows: list[list[Any]]) -> None:
        """A chunk of flat rows (their lists may be changed in place)."""
        for row in rows:
            self.write_row(row)

    def write_lines(self, lines: CsvLines) -> None:
        """Finished CSV lines (CSV only)."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError


class JsonlSink(_Sink):
    def __init__(self, path: Path, dataset: str, columns: Sequence[str]) -> None:
        super().__init__(path, dataset)
        self.fh: IO[str] = path.open("w", encoding="utf-8", newline="\n")
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def write(self, record: Record) -> None:
        self.fh.write(self.dumps(record))
        self.fh.write("\n")
        self.rows += 1

    def close(self) -> None:
        self.fh.close()


def _cell(value: Any, dumps: Callable[[Any], str]) -> Any:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


_FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST: Final = frozenset(_FORMULA_START)


def _inert(value: Any) -> Any:
    """A text Excel would take for a formula (=, +, -, @ first) gets a leading apostrophe,
    which Excel shows as plain text: a customer's name never runs as a formula."""
    if value.__class__ is str and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class CsvSink(_Sink):
    """UTF-8 with a BOM (Excel's way of knowing it is UTF-8); one header row. Texts that
    would start a formula are made inert (`_inert`)."""

    def __init__(self, path: Path, dataset: str, columns: Sequence[str]) -> None:
        super().__init__(path, dataset)
        # a large buffer: a chunk of lines goes to the file in few writes
        self.fh: IO[str] = path.open("w", encoding="utf-8-sig", newline="",
                                     buffering=1 << 20)
        self.writer = csv.writer(self.fh)
        self.writer.writerow(columns)
        self.buffer = io.StringIO(newline="")
        self.chunk_writer = csv.writer(self.buffer)
        self.columns = list(columns)
        # Columns that may hold text people typed (the rest are codes, numbers, times).
        free = [i for i, c in enumerate(self.columns) if c in FREE_TEXT]
        self.free_text: list[int] | None = free if set(self.columns) <= KNOWN_COLUMNS else None
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode

    def write(self, record: Record) -> None:
        dumps = self.dumps
        self.writer.writerow([_inert(_cell(record.get(c), dumps)) for c in self.columns])
        self.rows += 1

    def write_row(self, values: Sequence[Any]) -> None:
        free = self.free_text
        if free is None:
            self.writer.writerow([_inert(v) for v in values])  # None: an empty field
        else:
            row = list(values)
            for i in free:
                row[i] = _inert(row[i])
            self.writer.writerow(row)
        self.rows += 1

    def write_rows(self, rows: list[list[Any]]) -> None:
        """A chunk at once: the free-text cells made inert column by column (what `_inert`
        does, inline), then one `writerows`."""
        free = self.free_text
        if free is None:
            rows = [[_inert(v) for v in row] for row in rows]
        else:
            first = _FORMULA_FIRST
            for i in free:
                for row in rows:
                    v = row[i]
                    if v and v.__class__ is str and v[0] in first:
                        row[i] = "'" + v
        # written as one text: one trip through the file's encoder per chunk, not per row
        buffer = self.buffer
        buffer.seek(0)
        buffer.truncate()
        self.chunk_writer.writerows(rows)
        self.fh.write(buffer.getvalue())
        self.rows += len(rows)

    def write_lines(self, lines: CsvLines) -> None:
        """Lines finished by the database (`export_csv_lines`), UTF-8 already: to the file
        below the text layer (flushed first, so the order stays)."""
        self.fh.flush()
        self.fh.buffer.write(lines.data)  # type: ignore[attr-defined]
        self.rows += lines.rows

    def close(self) -> None:
        self.fh.close()


_XLSX_STATIC: Final = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "{sheets}</Types>"),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="2">'
        '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        '</cellStyles></styleSheet>'),
}
# Characters XML 1.0 cannot hold at all (controls other than tab and line ends).
_XML_ILLEGAL: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class XlsxStream(_Sink):
    """A streaming XLSX writer: the sheet XML goes straight into the zip, row by row.

    Strings are inline (no shared-string table in memory), numbers are numbers, the header is
    bold and frozen; past 1,048,575 rows the data continues on another sheet."""

    def __init__(self, path: Path, dataset: str, columns: Sequence[str]) -> None:
        super().__init__(path, dataset)
        self.columns = list(columns)
        self.zip = zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED,
                                   compresslevel=1)
        self.sheets: list[str] = []
        self.dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
        self._sheet: IO[bytes] | None = None
        self._buffer: list[str] = []
        self._in_sheet = 0
        self._open_sheet()

    def _open_sheet(self) -> None:
        n = len(self.sheets) + 1
        self.sheets.append(self.dataset if n == 1 else f"{self.dataset} ({n})")
        self._sheet = self.zip.open(f"xl/worksheets/sheet{n}.xml", "w", force_zip64=True)
        header = "".join(f'<c t="inlineStr" s="1"><is><t>{escape(c)}</t></is></c>'
                         for c in self.columns)
        self._sheet.write(
            ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
             '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
             '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
             'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
             f'<sheetData><row>{header}</row>').encode())
        self._in_sheet = 0

    def _close_sheet(self) -> None:
        assert self._sheet is not None
        self._flush()
        self._sheet.write(b"</sheetData></worksheet>")
        self._sheet.close()
        self._sheet = None

    def _flush(self) -> None:
        if self._buffer and self._sheet is not None:
            self._sheet.write("".join(self._buffer).encode())
            self._buffer.clear()

    def write(self, record: Record) -> None:
        self.write_row([record.get(c) for c in self.columns])

    def write_row(self, values: Sequence[Any]) -> None:
        if self._in_sheet >= XLSX_MAX_ROWS:
            self._close_sheet()
            self._open_sheet()
        parts = ["<row>"]
        append = parts.append
        illegal = _XML_ILLEGAL.search
        for value in values:
            if value is None or value == "":
                append("<c/>")
            elif value.__class__ is str and not illegal(value):
                # the hot path: most texts need no escaping at all
                if "&" in value or "<" in value or ">" in value:
                    value = escape(value)
                if value[0] in " \t\n\r" or value[-1] in " \t\n\r":
                    append(f'<c t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>')
                else:
                    append(f'<c t="inlineStr"><is><t>{value}</t></is></c>')
            elif isinstance(value, bool):
                append(f'<c t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int) and abs(value) < 2**53:
                append(f"<c><v>{value}</v></c>")
            else:
                text = self.dumps(value) if isinstance(value, dict | list) else str(value)
                text = escape(_XML_ILLEGAL.sub("", text))
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() \
                    else ""
                append(f'<c t="inlineStr"><is><t{space}>{text}</t></is></c>')
        append("</row>")
        self._buffer.append("".join(parts))
        self.rows += 1
        self._in_sheet += 1
        if len(self._buffer) >= 1000:
            self._flush()

    def close(self) -> None:
        self._close_sheet()
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(self.sheets) + 1))
        self.zip.writestr("[Content_Types].xml",
                          _XLSX_STATIC["[Content_Types].xml"].replace("{sheets}", overrides))
        self.zip.writestr("_rels/.rels", _XLSX_STATIC["_rels/.rels"])
        self.zip.writestr("xl/styles.xml", _XLSX_STATIC["xl/styles.xml"])
        sheets = "".join(f'<sheet name="{escape(name)}" sheetId="{i}" r:id="rId{i}"/>'
                         for i, name in enumerate(self.sheets, start=1))
        self.zip.writestr("xl/workbook.xml", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f"<sheets>{sheets}</sheets></workbook>"))
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/'
            f'2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(self.sheets) + 1))
        n = len(self.sheets) + 1
        rels += (f'<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/styles" Target="styles.xml"/>')
        self.zip.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships">{rels}</Relationships>'))
        self.zip.close()


SINKS: Final[dict[str, type[_Sink]]] = {"csv": CsvSink, "xlsx": XlsxStream, "jsonl": JsonlSink}
