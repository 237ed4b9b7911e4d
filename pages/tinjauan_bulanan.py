"""Tinjauan Bulanan: the month against the last one, and the briefing files to download."""

from __future__ import annotations

from functools import partial

import streamlit as st

from core import fmt
from present.charts import compliance_chart
from present.labels import STATUS_LABELS
from present.markdown import md_escape
from present.metric_delta import KIND_STEPS, Better, change_args
from reports.content import briefing_from_review
from reports.formats import BRIEFING_FORMATS
from reports.table_view import table_view
from reports.tables import Table
from ui.components import chart, demo_banner, month_picker, table
from ui.loaders_review import build_export, load_review
from ui.loaders_worker import briefing_files, load_briefings, read_briefing
from ui.navigation import guard_page
from ui.recap_view import opd_recap_section, recap_section
from ui.resources import get_settings

# a rise in these counts is bad news (named from the one label table, so a renamed status
# cannot silently turn green)
WORSE_WHEN_UP = {STATUS_LABELS[s] for s in ("at_risk", "dormant", "unreadable", "no_data")}
# each table's columns on the page, the key ones first: names, not codes (the workbook keeps
# the codes for filtering)
MOVERS = ["OPD", "Akun", "Platform", "Perubahan", "Peringkat", "Indeks Kinerja Akun"]
BEST_POSTS = [
    "OPD", "Akun", "Platform", "Interaksi", "Dibanding biasanya", "Waktu", "Caption", "Tautan",
]  # fmt: skip
COMPLIANCE = [
    "OPD", "Skor caption", "Lima unsur lengkap", "Sesuai arahan pejabat",
    "Tanpa salah ketik/jargon", "Unggahan",
]  # fmt: skip


def show(part: Table, headers: list[str]) -> None:
    """A briefing table whose numbers and dates stay values (they sort by value)."""
    table(table_view(part, headers), key=f"tinjauan_{part.key}")


def export_button(month: str, kind: str) -> None:
    state_key, spec = f"tinjauan_file_{month}_{kind}", BRIEFING_FORMATS[kind]
    if st.button(f"Buat {spec.label}", key=f"tinjauan_build_{kind}", width="stretch"):
        with st.spinner("Menyusun berkas… (grafik digambar dengan Chromium)"):
            try:
                st.session_state[state_key] = build_export(month, kind)
            except Exception as exc:
                st.error(getattr(exc, "message_id", "Berkas gagal dibuat. Coba lagi sebentar."))
    if state_key in st.session_state:
        st.download_button(
            f"Unduh {spec.label}",
            data=st.session_state[state_key],
            file_name=f"pantau-tinjauan-{month}.{spec.extension}",
            mime=spec.mime_type,
            key=f"tinjauan_download_{kind}",
            icon=":material/download:",
            on_click="ignore",
            width="stretch",
        )


def saved_briefings() -> None:
    """The briefings the worker saved, newest month first, each with its download button."""
    files = briefing_files(load_briefings())
    when = f"setiap tanggal 1 pukul 07.00 {fmt.tz_label(settings.tz)}"
    if not files:
        st.info(
            "Belum ada bahan paparan otomatis. Proses otomatis terjadwal membuatnya "
            f"{when} untuk bulan sebelumnya (PPTX dan PDF) dan menyimpannya di sini.",
            icon=":material/schedule:",
        )
        return
    st.caption(
        f"Dibuat proses otomatis terjadwal {when} untuk bulan sebelumnya dan disimpan di server. "
        "Berkas dibaca saat tombol unduh ditekan."
    )
    widths = [3, 2, 2, 4, 2]
    names = ["Bulan", "Format", "Ukuran", "Dibuat", ""]
    for column, name in zip(st.columns(widths), names, strict=True):
        column.markdown(f"**{name}**" if name else "")
    for item in files:
        month_col, format_col, size_col, made_col, button_col = st.columns(widths)
        month_col.write(item.month_label)
        format_col.write(item.format_label)
        size_col.write(item.size)
        made_col.write(item.made)
        button_col.download_button(
            "Unduh",
            data=partial(read_briefing, item.path),
            file_name=item.file_name,
            mime=item.mime,
            key=f"tinjauan_saved_{item.month}_{item.kind}",
            help=item.file_name,
            icon=":material/download:",
            on_click="ignore",
        )


guard_page(__file__)
st.title("Tinjauan Bulanan")
demo_banner()
month = month_picker("tinjauan_month")
review = load_review(month)
settings = get_settings()
brief = briefing_from_review(review, settings)
st.caption(
    f"{fmt.month_name(month)} dibandingkan dengan {review.compared_with} · "
    f"keadaan per {fmt.date_time(review.current.as_of, settings.tz)}"
)

for i, kpi in enumerate(brief.kpis):
    if i % 4 == 0:  # a row of its own per four, so a phone wraps them in reading order
        cols = st.columns(4)
    decimals, unit = KIND_STEPS.get(kpi.kind, (0, ""))
    better: Better = "down" if kpi.label in WORSE_WHEN_UP else "up"
    cols[i % 4].metric(
        kpi.label, kpi.text(),
        **change_args(kpi.value, kpi.previous, decimals, unit, f"dari {review.compared_with}",
                      better),
    )  # fmt: skip
st.info(brief.kpi_takeaway)

st.subheader("Naik dan turun peringkat")
st.caption(md_escape(brief.movers_takeaway))  # OPD names: the office's text
# one above the other: side by side, half a laptop's width hid the change and the index
st.markdown("**Naik peringkat**")
show(brief.movers_up, MOVERS)
st.markdown("**Turun peringkat**")
show(brief.movers_down, MOVERS)

st.subheader("Unggahan terbaik")
st.caption(md_escape(brief.best_posts.takeaway))
show(brief.best_posts, BEST_POSTS)

st.subheader("Kepatuhan caption per OPD")
st.caption(md_escape(brief.compliance.takeaway))
if not review.compliance.empty:
    chart(compliance_chart(review.compliance), key="tinjauan_compliance_chart")
show(brief.compliance, COMPLIANCE)

recap_section(month, "tinjauan")
opd_recap_section(month)

st.subheader("Unduh bahan paparan")
st.caption(
    "Berkas dibuat saat tombol ditekan. PPTX dan PDF memuat grafik, XLSX memuat semua tabel."
)
for column, kind in zip(st.columns(len(BRIEFING_FORMATS)), BRIEFING_FORMATS, strict=True):
    with column:
        export_button(month, kind)

st.subheader("Bahan paparan otomatis")
saved_briefings()
