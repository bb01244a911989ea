"""The receipt and tickets as ESC/POS bytes, read back the way a printer in Chinese mode reads
them (tests/devices/escpos_sim.py `decode`): framing, GB18030, widths, amounts, codes, marks,
masking and control characters in order text."""

from __future__ import annotations

from dataclasses import replace

import pytest

from app.devices.receipt_printer import render_escpos, thermal_kinds
from app.devices.receipt_printer.layout import COLUMNS
from app.devices.receipt_printer.render import code128_fits
from app.devices.receipt_printer.text import text_width, wrap
from app.printing.paper import FeeRow, OrderPaper, PaymentRow
from tests import printing_fixtures as samples
from tests.devices.escpos_sim import decode

SAMPLES = samples.all_samples()
KINDS = [(name, kind) for name, paper in SAMPLES.items() for kind in thermal_kinds(paper)]


def test_every_sample_has_its_thermal_papers() -> None:
    assert ("sim_replacement", "receipt") in KINDS
    assert ("fault_report", "fault-ticket") in KINDS
    assert ("complaint", "complaint-ticket") in KINDS


@pytest.mark.parametrize("width_mm", [58, 80])
@pytest.mark.parametrize("name, kind", KINDS)
def test_framing_and_widths(name: str, kind: str, width_mm: int) -> None:
    """ESC @ first, Chinese mode on before any text, GB18030 hall name, cut last; no line
    wider than the roll's columns counting a Chinese character as two."""
    paper = SAMPLES[name]
    data = render_escpos(paper, kind, width_mm=width_mm)
    assert data.startswith(b"\x1b@\x1c&")
    assert data.endswith(b"\x1dV\x00")
    assert paper.hall_name.encode("gb18030") in data
    out = decode(data)  # raises on any command the printer reader does not know
    assert out.cuts == 1 and out.ends_with_cut
    cols = COLUMNS[width_mm]
    too_wide = [line.text for line in out.lines if text_width(line.text) > cols]
    assert not too_wide, too_wide
    first = out.lines[0]
    assert first.text in paper.hall_name and first.bold and first.tall and first.center
    assert len(out.barcodes) + len(out.qr_codes) == 1


def test_58_mm_wraps_what_80_mm_keeps() -> None:
    paper = SAMPLES["sim_replacement"]
    narrow = decode(render_escpos(paper, "receipt", width_mm=58))
    wide = decode(render_escpos(paper, "receipt", width_mm=80))
    assert max(text_width(x.text) for x in narrow.lines) == 32
    assert max(text_width(x.text) for x in wide.lines) == 48
    assert f"单号    {paper.order_no}" in wide.text.splitlines()
    # On 32 columns the order number breaks after a dash, not inside a group of digits.
    assert "单号    H4401-C03-20261122-\n        00042-7" in narrow.text


def amount_line(out_text: str, label: str) -> str:
    [line] = [x for x in out_text.splitlines() if x.startswith(label)]
    return line


@pytest.mark.parametrize("width_mm", [58, 80])
def test_amounts_as_the_pdf_shows_them(width_mm: int) -> None:
    paper = SAMPLES["sim_replacement"]  # fee 10.00, cash 50.00, change 40.00
    text = decode(render_escpos(paper, "receipt", width_mm=width_mm)).text
    cols = COLUMNS[width_mm]
    for label, amount in [("补卡费", "10.00"), ("应收合计", "10.00"), ("收款：现金", "50.00"),
                          ("实收合计", "50.00"), ("找零", "40.00")]:
        line = amount_line(text, label)
        assert line.endswith(amount) and text_width(line) == cols, line  # flush right
    assert "业务凭证（收据）" in text and "请妥善保管本凭证" in text


def test_no_fee_receipt_says_so() -> None:
    paper = replace(SAMPLES["sim_replacement"], fees=[], payments=[], change_fen=0)
    text = decode(render_escpos(paper, "receipt")).text
    assert amount_line(text, "本业务不收取费用").endswith("0.00")
    assert "实收合计" not in text


def test_several_payments_and_a_long_fee_name() -> None:
    paper = replace(SAMPLES["sim_replacement"],
                    fees=[FeeRow("国际漫游预付款（含港澳台地区漫游通话及数据流量）", 50000)],
                    payments=[PaymentRow("银行卡", 30000), PaymentRow("现金", 20000)],
                    change_fen=0)
    out = decode(render_escpos(paper, "receipt", width_mm=58))
    assert amount_line(out.text, "收款：银行卡").endswith("300.00")
    assert amount_line(out.text, "收款：现金").endswith("200.00")
    assert all(text_width(x.text) <= 32 for x in out.lines)
    assert "500.00" in out.text


def test_order_number_as_code128_when_it_fits() -> None:
    paper = replace(SAMPLES["sim_replacement"], order_no="H01-00042")
    out = decode(render_escpos(paper, "receipt", width_mm=58, barcode="code128"))
    assert out.barcodes == [(73, b"{BH01-00042")] and not out.qr_codes  # GS k m=73, code set B
    assert b"\x1dkI\x0b{BH01-00042" in render_escpos(paper, "receipt", width_mm=58)


def test_long_order_number_falls_back_to_qr() -> None:
    """A 26-character number is 341 modules of Code128: wider than either roll at 2 dots, and
    a printer drops a barcode that does not fit without a word; so it goes as a QR code."""
    paper = SAMPLES["sim_replacement"]
    assert not code128_fits(paper.order_no, 80) and not code128_fits(paper.order_no, 58)
    out = decode(render_escpos(paper, "receipt", barcode="code128"))
    assert out.qr_codes == [paper.order_no.encode()] and not out.barcodes


def test_qr_when_asked() -> None:
    paper = replace(SAMPLES["sim_replacement"], order_no="H01-00042")
    data = render_escpos(paper, "receipt", barcode="qr")
    assert decode(data).qr_codes == [b"H01-00042"]
    assert b"\x1d(k\x0c\x001P0H01-00042" in data  # GS ( k pL pH cn=49 fn=80 m=48 data


def test_reprint_and_void_marks_top_and_bottom() -> None:
    paper = replace(SAMPLES["sim_replacement"], reprint_count=3, voided=True)
    out = decode(render_escpos(paper, "receipt"))
    marks = [x for x in out.lines if x.text in ("【补打（第3次）】", "【已作废】")]
    assert len(marks) == 4 and all(x.bold and x.center for x in marks)


def test_fault_ticket_content() -> None:
    paper = SAMPLES["fault_report"]
    text = decode(render_escpos(paper, "fault-ticket")).text
    for needle in ("障碍申告受理单", "承诺修复时限：", "首问负责人", "【申告内容】", "【跟踪事项】",
                   "【告知事项】", "本单实行首问负责制", paper.customer_id_masked,
                   paper.presenter_id_masked):
        assert needle in text, needle


def test_complaint_ticket_without_deadline() -> None:
    paper = replace(SAMPLES["complaint"], follow_ups=[])
    text = decode(render_escpos(paper, "complaint-ticket")).text
    assert "承诺答复时间：未登记（请向值班长确认）" in text and "【跟踪事项】" not in text


def test_phones_masked_except_the_served_line_and_no_full_id() -> None:
    paper = replace(SAMPLES["fault_report"], line_number="13800138000",
                    details=[("联系电话", "13912345678"), ("备注", "本机 13800138000 无信号")])
    text = decode(render_escpos(paper, "fault-ticket")).text
    assert "139****5678" in text and "13912345678" not in text
    assert "13800138000" in text  # the line the order serves is printed in full
    for sample in SAMPLES.values():
        for kind in thermal_kinds(sample):
            printed = decode(render_escpos(sample, kind)).text
            assert samples.FULL_ID not in printed and samples.FULL_AGENT_ID not in printed


def test_control_characters_in_order_text_are_not_commands() -> None:
    """A customer name holding ESC @ / GS V / DLE EOT bytes prints as text, never as a
    command: still exactly one cut, no status query, nothing the reader does not know."""
    paper: OrderPaper = replace(SAMPLES["sim_replacement"],
                                customer_name="张\x1b@\x1dV\x00\x10\x04\x01伟\u200b")
    out = decode(render_escpos(paper, "receipt"))
    assert out.cuts == 1 and out.status_queries == []
    assert [x.text for x in out.lines if x.text.startswith("客户")] == ["客户    张 @ V    伟"]


def test_wrap_counts_chinese_as_two_columns() -> None:
    assert text_width("单号：A1") == 8
    assert text_width("·—（）") == 8  # "ambiguous" width is still full width on the printer
    lines = wrap("中文字符与ABC混排的一行文字，需要折行。", 10)
    assert all(text_width(x) <= 10 for x in lines)
    assert "".join(lines) == "中文字符与ABC混排的一行文字，需要折行。"
    assert not any(x.startswith(("，", "。")) for x in lines)
    assert wrap("abc def ghijkl", 8) == ["abc def", "ghijkl"]
    assert wrap("第一行\n\n第三行", 20) == ["第一行", "", "第三行"]


def test_unknown_kind_and_width_are_refused() -> None:
    paper = SAMPLES["sim_replacement"]
    with pytest.raises(ValueError, match="slip"):
        render_escpos(paper, "slip")
    with pytest.raises(ValueError, match="58 or 80"):
        render_escpos(paper, "receipt", width_mm=76)
    with pytest.raises(ValueError, match="barcode"):
        render_escpos(paper, "receipt", barcode="pdf417")
