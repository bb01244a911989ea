"""The printed papers: layout sanity, text content, masking, barcode, font embedding, files.

External tools (Debian packages): `pdftoppm` (poppler-utils) renders pages, `zbarimg`
(zbar-tools) decodes the barcode. A test that needs one is skipped, with the package named,
only when the tool is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import app.resources
from app.printing import (
    FONT_NAME,
    OrderPaper,
    code128_modules,
    ensure_fonts,
    font_path,
    papers_for,
    render_bill_cover,
    render_daily_report,
    render_receipt,
    render_slip,
    render_ticket,
    ticket_deadline,
    unsupported_chars,
    write_order_papers,
)
from app.printing.barcode import DEFAULT_MODULE, symbol_width
from tests import printing_fixtures as fx

MM = 72 / 25.4  # points per millimetre
A4 = (210 * MM, 297 * MM)
A5 = (148 * MM, 210 * MM)
ROLL_W = 80 * MM
SAMPLES = fx.all_samples()


# --------------------------------------------------------------------------- helpers


def need(tool: str, package: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} not installed (Debian package {package})")
    return path


def pdf_text(pdf: bytes) -> list[str]:
    import io

    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    import io

    return [
        (float(p.mediabox.width), float(p.mediabox.height))
        for p in PdfReader(io.BytesIO(pdf)).pages
    ]


def rasterize(pdf: bytes, tmp: Path, dpi: int, fmt: str = "pgm") -> list[Path]:
    """Render every page with pdftoppm (grey); returns the image files in page order."""
    exe = need("pdftoppm", "poppler-utils")
    src = tmp / "in.pdf"
    src.write_bytes(pdf)
    prefix = tmp / f"page{dpi}"
    args = [exe, "-r", str(dpi), "-gray"] + (["-png"] if fmt == "png" else [])
    subprocess.run([*args, str(src), str(prefix)], check=True, capture_output=True, timeout=60)
    ext = "png" if fmt == "png" else "pgm"
    return sorted(tmp.glob(f"page{dpi}-*.{ext}"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def read_pgm(path: Path) -> tuple[int, int, bytes]:
    """(width, height, 8-bit grey pixels) of a binary PGM as written by pdftoppm -gray."""
    data = path.read_bytes()
    fields: list[bytes] = []
    pos = 2  # after b"P5"
    while len(fields) < 3:
        while data[pos : pos + 1].isspace():
            pos += 1
        start = pos
        while not data[pos : pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    w, h, _maxval = (int(f) for f in fields)
    pixels = data[pos + 1 :]
    assert len(pixels) == w * h
    return w, h, pixels


def ink_ratio(pixels: bytes) -> float:
    """Share of pixels that are clearly not white."""
    dark = sum(1 for b in pixels[::7] if b < 200)
    return dark / len(pixels[::7])


def decode_barcodes(pdf: bytes, tmp: Path, dpi: int = 200) -> list[str]:
    """Every Code128 symbol zbarimg finds on the pages rendered at `dpi`."""
    exe = need("zbarimg", "zbar-tools")
    found: list[str] = []
    for png in rasterize(pdf, tmp, dpi, fmt="png"):
        run = subprocess.run(
            [exe, "--quiet", "--raw", "-Sdisable", "-Scode128.enable", str(png)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode in (0, 4), run.stderr  # 4: no symbol on this page
        found += [line for line in run.stdout.splitlines() if line]
    return found


def fonts_of(pdf: bytes) -> list[tuple[str, bool]]:
    """(BaseFont, has /FontFile2) of every font any page uses."""
    import io

    out: list[tuple[str, bool]] = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"].get_object()
        fonts = resources.get("/Font")
        if fonts is None:
            continue
        for ref in fonts.get_object().values():
            font = ref.get_object()
            desc = font.get("/FontDescriptor")
            embedded = desc is not None and "/FontFile2" in desc.get_object()
            out.append((str(font["/BaseFont"]), embedded))
    return out


def all_papers(paper: OrderPaper) -> dict[str, bytes]:
    return {kind: render() for kind, render in papers_for(paper)}


# --------------------------------------------------------------------------- font, resources


def test_font_and_licence_are_shipped() -> None:
    path = font_path()
    assert path.is_file() and path.suffix == ".ttc"
    assert path.read_bytes()[:4] == b"ttcf"  # a TrueType collection (glyf outlines)
    licence = path.parent / "LICENSE-wqy-microhei.txt"
    text = licence.read_text(encoding="utf-8")
    assert "Apache License" in text and "Font exception" in text


def test_resource_path_in_source_tree_and_in_pyinstaller_bundle(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    repo = Path(__file__).resolve().parents[1]
    assert app.resources.resource_path("fonts", "x.ttc") == repo / "resources" / "fonts" / "x.ttc"
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert (
        app.resources.resource_path("fonts", "x.ttc") == tmp_path / "resources" / "fonts" / "x.ttc"
    )


def test_ensure_fonts_is_thread_safe_and_idempotent() -> None:
    from reportlab.pdfbase import pdfmetrics

    names: list[str] = []
    barrier = threading.Barrier(6)

    def worker() -> None:
        barrier.wait()
        names.append(ensure_fonts())

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert names == [FONT_NAME] * 6
    assert pdfmetrics.getFont(FONT_NAME).fontName == FONT_NAME


def test_font_covers_what_the_papers_print() -> None:
    text = "".join(
        "".join(pdf_text(pdf)) for pdf in all_papers(SAMPLES["group_new_activation"]).values()
    )
    text += "".join(pdf_text(render_daily_report(fx.daily_report())))
    assert unsupported_chars(text) == set()
    assert unsupported_chars("张伟 𠮷") == {"𠮷"}  # a rare character outside the font is reported


# --------------------------------------------------------------------------- barcode


def test_code128_pattern_and_width() -> None:
    pattern = code128_modules(fx.ORDER_NO)
    assert set(pattern) == {"0", "1"}
    assert pattern.startswith("11010010000")  # Start B
    assert pattern.endswith("1100011101011")  # Stop
    # ~25 characters: 299 modules, 76 mm at 10 mil + quiet zones: fits A4/A5 across.
    assert symbol_width(fx.ORDER_NO) / MM < 82
    assert symbol_width(fx.ORDER_NO) < A5[0] - 24 * MM
    assert pytest.approx(2.0, abs=0.01) == DEFAULT_MODULE / MM * 200 / 25.4  # 2 px at 200 dpi
    with pytest.raises(ValueError):
        code128_modules("单号-1")
    with pytest.raises(ValueError):
        code128_modules("")


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("slip", render_slip),
        ("thermal", lambda p: render_receipt(p, "thermal")),
        ("a5", lambda p: render_receipt(p, "a5")),
        ("cover", render_bill_cover),
    ],
)
def test_barcode_scans_to_the_order_number_at_200_dpi(
    name: str, render: Callable[[OrderPaper], bytes], tmp_path: Path
) -> None:
    pdf = render(SAMPLES["group_new_activation"])
    codes = decode_barcodes(pdf, tmp_path)
    assert codes == [fx.ORDER_NO]


def test_ticket_barcode_scans(tmp_path: Path) -> None:
    assert decode_barcodes(render_ticket(SAMPLES["fault_report"]), tmp_path) == [fx.ORDER_NO]


@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    order_no=st.from_regex(
        r"[A-Z][0-9]{4}-[A-Z][0-9]{2}-20[0-9]{6}-[0-9]{5,7}-[0-9X]", fullmatch=True
    )
)
def test_any_order_number_scans_on_the_thermal_roll(
    order_no: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    paper = replace(SAMPLES["sim_replacement"], order_no=order_no)
    tmp = tmp_path_factory.mktemp("roll")
    assert decode_barcodes(render_receipt(paper, "thermal"), tmp) == [order_no]


# --------------------------------------------------------------------------- the slip


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_slip_content_and_masking(name: str, tmp_path: Path) -> None:
    paper = SAMPLES[name]
    pdf = render_slip(paper)
    pages = pdf_text(pdf)
    text = "\n".join(pages)
    assert paper.order_no in text
    assert paper.customer_id_masked in text
    assert paper.service_name in text
    assert paper.hall_name in text and paper.clerk_name in text
    for fee in paper.fees:
        assert f"{fee.amount_fen // 100}.{fee.amount_fen % 100:02d}" in text
    for pay in paper.payments:
        assert pay.method in text
    for follow in paper.follow_ups:
        assert follow.due.strftime("%Y-%m-%d %H:%M") in text
    assert "营业厅业务专用章" in text
    for full in (fx.FULL_ID, fx.FULL_AGENT_ID, fx.FULL_UNIT_CODE):
        assert full not in text
        assert full.encode() not in pdf
    n = len(pages)
    for i, page in enumerate(pages, 1):
        assert f"第 {i} 页 / 共 {n} 页" in page
    assert all(size == pytest.approx(A4, abs=0.5) for size in page_sizes(pdf))


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_slip_pages_render_at_a4_and_are_not_blank(name: str, tmp_path: Path) -> None:
    images = rasterize(render_slip(SAMPLES[name]), tmp_path, 50)
    assert images
    for img in images:
        w, h, pixels = read_pgm(img)
        assert (w, h) == (pytest.approx(413, abs=2), pytest.approx(585, abs=2))
        assert ink_ratio(pixels) > 0.01


def test_simple_slip_fits_one_page_and_long_one_flows() -> None:
    assert len(pdf_text(render_slip(SAMPLES["sim_replacement"]))) == 1
    long_pages = pdf_text(render_slip(SAMPLES["long_cancellation"]))
    assert len(long_pages) >= 3
    joined = "".join(long_pages)
    for i in (1, 30, 60):  # details at the start, middle and end all printed
        assert f"账务结算明细 {i:02d}" in joined
    assert "第25条" in joined  # the last notice
    for page in long_pages:  # the reprint mark is on every page
        assert "补打（第2次）" in page
    assert "已作废" not in joined


def test_group_customer_with_agent() -> None:
    paper = SAMPLES["group_new_activation"]
    text = "".join(pdf_text(render_slip(paper)))
    assert "集团客户" in text and "经办人" in text
    assert paper.unit_name and paper.unit_name in text
    assert fx.MASKED_UNIT_CODE in text and fx.MASKED_AGENT_ID in text
    assert "1194.00" in text and "1244.00" in text and "1300.00" in text and "56.00" in text
    assert "✓" in text  # document ticks


def test_signature_drawn_on_paper_and_missing() -> None:
    import io

    drawn = render_slip(SAMPLES["sim_replacement"])
    page = PdfReader(io.BytesIO(drawn)).pages[0]
    resources: Any = page["/Resources"].get_object()
    xobjects = resources.get("/XObject")
    assert xobjects and any(x.get_object()["/Subtype"] == "/Image" for x in xobjects.values())
    text = "".join(pdf_text(drawn))
    assert fx.HASH in text and "2026-11-22 10:39:07" in text

    on_paper = "".join(pdf_text(render_slip(SAMPLES["fault_report"])))
    assert "客户已在纸面签字" in on_paper

    unsigned = replace(SAMPLES["sim_replacement"], signature=None)
    assert "签字：" in "".join(pdf_text(render_slip(unsigned)))

    broken = replace(
        SAMPLES["sim_replacement"], signature=replace(fx.drawn_signature(), png=b"not a png")
    )
    assert "签名图像无法显示" in "".join(pdf_text(render_slip(broken)))


def test_voided_and_reprint_marks() -> None:
    voided = "".join(pdf_text(render_slip(replace(SAMPLES["sim_replacement"], voided=True))))
    assert voided.count("已作废") >= 2  # stamp + watermark
    receipt = "".join(
        pdf_text(render_receipt(replace(SAMPLES["sim_replacement"], voided=True, reprint_count=3)))
    )
    assert "已作废" in receipt and "补打（第3次）" in receipt
    assert "补打" not in "".join(pdf_text(render_slip(SAMPLES["sim_replacement"])))


def test_markup_characters_in_order_text_are_printed_literally() -> None:
    text = "".join(pdf_text(render_slip(SAMPLES["complaint"])))
    assert "<15元> & 短信提醒缺失" in text


@settings(max_examples=25, deadline=None)
@given(
    label=st.text(min_size=0, max_size=30),
    value=st.text(min_size=0, max_size=1500),
    notice=st.text(min_size=1, max_size=600),
)
def test_any_text_lays_out(label: str, value: str, notice: str) -> None:
    paper = replace(
        SAMPLES["sim_replacement"],
        details=[(label, value)] * 3,
        notices=[notice, "<b>&amp;</b>"],
        customer_name=label or "张伟",
    )
    assert render_slip(paper).startswith(b"%PDF")
    assert render_receipt(paper, "thermal").startswith(b"%PDF")


def test_same_order_same_bytes_and_thread_safe_rendering() -> None:
    papers = [SAMPLES["sim_replacement"], SAMPLES["group_new_activation"]] * 2
    expected = [render_slip(p) for p in papers]
    assert render_slip(papers[0]) == expected[0]
    results: list[bytes | None] = [None] * len(papers)

    def work(i: int) -> None:
        results[i] = render_slip(papers[i])

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(papers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == expected


# --------------------------------------------------------------------------- font embedding


@pytest.mark.parametrize("name", ["sim_replacement", "fault_report", "bill_detail_print"])
def test_only_the_embedded_font_is_used(name: str) -> None:
    pdfs = list(all_papers(SAMPLES[name]).values())
    pdfs.append(render_receipt(SAMPLES[name], "a5"))
    for pdf in pdfs:
        fonts = fonts_of(pdf)
        assert fonts, "no font at all"
        for base_font, embedded in fonts:
            assert embedded, f"{base_font} is not embedded"
            assert "WenQuanYiMicroHei" in base_font


# --------------------------------------------------------------------------- receipts


def test_thermal_receipt_is_80mm_wide_one_page_and_grows() -> None:
    short = render_receipt(SAMPLES["sim_replacement"], "thermal")
    long = render_receipt(SAMPLES["group_new_activation"], "thermal")
    ((w1, h1),) = page_sizes(short)
    ((w2, h2),) = page_sizes(long)
    assert w1 == pytest.approx(ROLL_W, abs=0.5) and w2 == pytest.approx(ROLL_W, abs=0.5)
    assert h2 > h1 > 100 * MM
    text = "".join(pdf_text(short))
    for amount in ("10.00", "50.00", "40.00"):
        assert amount in text
    assert "现金" in text and fx.ORDER_NO in text and "业务凭证（收据）" in text
    assert fx.FULL_ID not in text


def test_thermal_receipt_renders_with_ink(tmp_path: Path) -> None:
    (img,) = rasterize(render_receipt(SAMPLES["sim_replacement"], "thermal"), tmp_path, 100)
    w, h, pixels = read_pgm(img)
    assert w == pytest.approx(315, abs=2) and h > 400
    assert ink_ratio(pixels) > 0.02


def test_a5_receipt(tmp_path: Path) -> None:
    pdf = render_receipt(SAMPLES["group_new_activation"], "a5")
    assert all(size == pytest.approx(A5, abs=0.5) for size in page_sizes(pdf))
    text = "".join(pdf_text(pdf))
    for amount in ("1194.00", "50.00", "1244.00", "1000.00", "300.00", "1300.00", "56.00"):
        assert amount in text
    assert "银行卡" in text and "现金" in text
    for img in rasterize(pdf, tmp_path, 50):
        assert ink_ratio(read_pgm(img)[2]) > 0.01


def test_receipt_layout_is_checked() -> None:
    with pytest.raises(ValueError):
        render_receipt(SAMPLES["sim_replacement"], "a4")  # type: ignore[arg-type]


# --------------------------------------------------------------------------- tickets, cover


def test_fault_ticket_shows_the_earliest_deadline() -> None:
    paper = SAMPLES["fault_report"]
    deadline = ticket_deadline(paper)
    assert deadline is not None and deadline.name == "障碍修复"
    text = "".join(pdf_text(render_ticket(paper)))
    assert "障碍申告受理单" in text and "承诺修复时限：2026-11-22 22:35" in text
    assert "首问负责制" in text and paper.customer_id_masked in text and fx.ORDER_NO in text
    assert fx.FULL_UNIT_CODE not in text


def test_complaint_ticket_promised_answer_time() -> None:
    text = "".join(pdf_text(render_ticket(SAMPLES["complaint"])))
    assert "投诉受理单" in text and "承诺答复时间：2026-11-24 17:00" in text
    no_deadline = replace(SAMPLES["complaint"], follow_ups=[])
    assert "未登记" in "".join(pdf_text(render_ticket(no_deadline)))
    with pytest.raises(ValueError):
        render_ticket(SAMPLES["sim_replacement"])


def test_bill_cover(tmp_path: Path) -> None:
    pdf = render_bill_cover(SAMPLES["bill_detail_print"])
    text = "".join(pdf_text(pdf))
    assert "详单打印封面" in text and "保密提示" in text and "2026-08 至 2026-10" in text
    assert "已作废" in text and fx.MASKED_ID in text and fx.FULL_ID not in text
    for img in rasterize(pdf, tmp_path, 50):
        assert ink_ratio(read_pgm(img)[2]) > 0.01


# --------------------------------------------------------------------------- daily report


def test_daily_report(tmp_path: Path) -> None:
    report = fx.daily_report()
    pdf = render_daily_report(report)
    text = "".join(pdf_text(pdf))
    for needle in (
        "营业日报",
        "2026-11-22",
        "李晓梅",
        "4313.00",
        "4845.50",
        "-0.50",
        "-1",
        "欠费未结清",
    ):
        assert needle in text
    images = rasterize(pdf, tmp_path, 50)
    assert images and all(ink_ratio(read_pgm(i)[2]) > 0.005 for i in images)


def test_daily_report_flows_and_handles_empty_lists() -> None:
    pages = pdf_text(render_daily_report(fx.daily_report(many=80)))
    n = len(pages)
    assert n >= 3
    for i, page in enumerate(pages, 1):
        assert f"第 {i} 页 / 共 {n} 页" in page
    for page in pages[1:]:  # running header and the tables' repeated header rows
        assert "营业日报（续）" in page
    assert "协议期内不得过户（第 79 例）" in "".join(pages)
    assert "签字确认" in pages[-1]
    empty = replace(
        fx.daily_report(),
        clerks=[],
        services=[],
        payments=[],
        stock=[],
        differences=[],
        rejections=[],
        follow_ups=[],
        notes=[],
    )
    text = "".join(pdf_text(render_daily_report(empty)))
    assert "无" in text and "签字确认" in text


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize(
    ("name", "kinds"),
    [
        ("sim_replacement", ["slip", "receipt"]),
        ("group_new_activation", ["slip", "receipt"]),
        ("long_cancellation", ["slip", "receipt"]),
        ("fault_report", ["slip", "fault-ticket"]),
        ("complaint", ["slip", "complaint-ticket"]),
        ("bill_detail_print", ["slip", "bill-cover"]),
    ],
)
def test_write_order_papers(name: str, kinds: list[str], tmp_path: Path) -> None:
    paper = SAMPLES[name]
    paths = write_order_papers(paper, tmp_path / "out")
    suffix = f"_reprint{paper.reprint_count}" if paper.reprint_count else ""
    suffix += "_voided" if paper.voided else ""
    assert [p.name for p in paths] == [f"{fx.ORDER_NO}_{k}{suffix}.pdf" for k in kinds]
    for p in paths:
        assert p.read_bytes().startswith(b"%PDF") and p.name.startswith(paper.order_no)
    assert sorted(x.name for x in (tmp_path / "out").iterdir()) == sorted(p.name for p in paths)
    again = write_order_papers(paper, tmp_path / "out")  # overwrite in place, no leftovers
    assert again == paths and len(list((tmp_path / "out").iterdir())) == len(paths)


def test_unsafe_order_number_cannot_escape_the_folder(tmp_path: Path) -> None:
    paper = replace(SAMPLES["complaint"], order_no="../../x/../evil")
    (slip, ticket) = write_order_papers(paper, tmp_path)
    assert slip.parent == tmp_path and ticket.parent == tmp_path
    assert slip.name == "_.._x_.._evil_slip.pdf"
