"""Akun Dorman: quiet accounts, their admins, and a polite reminder ready to send."""

from __future__ import annotations

import streamlit as st

from core import fmt
from services import reminders
from ui.components import demo_banner, multi_choice
from ui.labels import category_label, platform_label
from ui.loaders_dormant import (
    FLASH_KEY,
    channel_label,
    dormant_table,
    load_dormant,
    mark_reminded,
    today,
)

st.title("Akun Dorman")
demo_banner()
view = load_dormant(today())
st.caption(
    f"Keadaan per {fmt.long_date(view.day)}. Akun yang masih dorman atau perlu perhatian lebih "
    f"dari {fmt.number(view.escalate_days)} hari setelah pengingat terakhir, tanpa unggahan baru, "
    "ditandai “Perlu eskalasi” dan ditampilkan paling atas."
)

platform_options, category_options = reminders.filter_options(view.accounts)
col_active, col_platform, col_category = st.columns(3)
with col_active:
    include_active = st.toggle("Tampilkan juga akun aktif", key="dorman_active")
with col_platform:
    platforms = multi_choice("Platform", platform_options, platform_label, "dorman_platform")
with col_category:
    categories = multi_choice("Kategori OPD", category_options, category_label, "dorman_category")
shown = reminders.filter_dormant(view.accounts, include_active, platforms, categories)

counts = reminders.counts(shown)
cols = st.columns(4)
cols[0].metric("Dorman", fmt.number(counts["dormant"]))
cols[1].metric("Perlu perhatian", fmt.number(counts["at_risk"]))
cols[2].metric("Belum ada data", fmt.number(counts["no_data"]))
cols[3].metric("Perlu eskalasi", fmt.number(counts["escalate"]))

if shown.empty:
    st.info("Tidak ada akun yang perlu diingatkan untuk pilihan ini.")
    st.stop()

st.dataframe(
    dormant_table(shown),
    hide_index=True,
    width="stretch",
    key="dorman_table",
    column_config={"Profil": st.column_config.LinkColumn("Profil", display_text="Buka profil")},
)

st.subheader("Kirim pengingat")
if FLASH_KEY in st.session_state:
    st.success(st.session_state.pop(FLASH_KEY), icon=":material/check_circle:")
options = reminders.choices(shown)
choice = st.selectbox("Akun yang akan diingatkan", list(options), key="dorman_account")
account_id = options[str(choice)]
row = reminders.account_row(shown, account_id)
reminded = row.last_reminded_at
st.caption(f"Terakhir diingatkan: {fmt.long_date(reminded) if reminded else 'belum pernah'}")
text = st.text_area(
    "Isi pesan (boleh disunting sebelum dikirim)",
    value=row.message,
    height=260,
    key=f"dorman_message_{account_id}",
)
wa_link = reminders.whatsapp_link(row.phone, text)
mail_link = reminders.mailto_link(row.admin_email, row.subject, text)
col_wa, col_mail = st.columns(2)
with col_wa:
    if wa_link:
        st.link_button("Kirim lewat WhatsApp", wa_link, icon=":material/chat:")
    else:
        st.info("Nomor telepon admin belum tercatat. Silakan lengkapi di halaman Pengaturan.")
with col_mail:
    if mail_link:
        st.link_button("Kirim lewat surel", mail_link, icon=":material/mail:")
    else:
        st.info("Alamat surel admin belum tercatat. Silakan lengkapi di halaman Pengaturan.")

st.caption(
    "Setelah pesan terkirim, tandai di sini agar tanggal pengingat tercatat "
    "(dasbor tidak dapat melihat apakah tautan di atas sudah dibuka)."
)
channel = str(
    st.radio(
        "Dikirim lewat", reminders.CHANNELS, format_func=channel_label, horizontal=True,
        key="dorman_channel",
    )
)  # fmt: skip
recipient = row.phone if channel == "whatsapp" else row.admin_email
st.button(
    "Tandai sudah diingatkan",
    on_click=mark_reminded,
    args=(account_id, channel, recipient, text),
    type="primary",
    key="dorman_mark",
)
