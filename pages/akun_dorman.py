"""Akun Dorman: quiet accounts, their admins, and a polite reminder ready to send."""

from __future__ import annotations

import streamlit as st

from core import fmt
from present.labels import category_label, platform_label
from present.markdown import md_escape
from services import reminders
from ui.account_lists import no_account_section, table_or_cards
from ui.components import demo_banner, multi_choice, send_buttons, unreadable_list
from ui.loaders import load_opds_without_account
from ui.loaders_dormant import (
    FLASH_KEY,
    QUEUE_FLASH_KEY,
    cancel_queued,
    channel_label,
    dormant_cards,
    dormant_table,
    load_dormant,
    load_queue,
    mark_queue_sent,
    mark_reminded,
    queue_items,
    today,
)
from ui.navigation import guard_page
from ui.resources import get_settings

user = guard_page(__file__)
st.title("Akun Dorman")
# whoever may send a reminder (Diskominfo's admin and reviewer) records it, or it goes twice
can_record = bool(user and user.sees_everything)
demo_banner()
view = load_dormant(today())
queued = queue_items(load_queue(), view.accounts)
st.caption(
    f"Keadaan per {fmt.long_date(view.day)}. Akun yang masih dorman atau perlu perhatian lebih "
    f"dari {fmt.number(view.escalate_days)} hari setelah pengingat terakhir, tanpa unggahan baru, "
    "ditandai “Perlu eskalasi” dan ditampilkan paling atas."
)
if queued:
    st.info(
        f"{fmt.number(len(queued))} pengingat dari pemeriksaan harian menunggu dikirim. "
        "Lihat bagian “Antrean pengingat” di bawah.",
        icon=":material/outgoing_mail:",
    )

platform_options, category_options = reminders.filter_options(view.accounts)
col_active, col_platform, col_category = st.columns(3)
with col_active:
    include_active = st.toggle("Tampilkan juga akun aktif", key="dorman_active")
with col_platform:
    platforms = multi_choice("Platform", platform_options, platform_label, "dorman_platform")
with col_category:
    categories = multi_choice("Kategori OPD", category_options, category_label, "dorman_category")
filtered = reminders.filter_dormant(view.accounts, include_active, platforms, categories)
counts = reminders.counts(filtered)
shown, unreadable = reminders.split_unreadable(filtered)
cols = st.columns(5)
cols[0].metric("Dorman", fmt.number(counts["dormant"]))
cols[1].metric("Perlu perhatian", fmt.number(counts["at_risk"]))
cols[2].metric("Belum ada data", fmt.number(counts["no_data"]))
cols[3].metric("Tidak terbaca", fmt.number(counts["unreadable"]))
cols[4].metric("Perlu eskalasi", fmt.number(counts["escalate"]))


if shown.empty:
    st.info("Tidak ada akun yang perlu diingatkan untuk pilihan ini.")
else:
    table_or_cards(dormant_table(shown), dormant_cards(shown), key="dorman_table")

    st.subheader("Kirim pengingat")
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY), icon=":material/check_circle:")
    st.caption(
        "Satu pesan untuk setiap admin, berisi semua akun dorman dan perlu perhatian yang "
        "dikelolanya."
    )
    options = reminders.choices(shown)
    choice = st.selectbox(
        "Admin yang akan diingatkan", list(options), key="dorman_account", placeholder="Pilih admin"
    )
    admin = options[str(choice)]
    row = reminders.admin_row(shown, admin)
    reminded = row.last_reminded_at
    st.caption(f"Terakhir diingatkan: {fmt.long_date(reminded) if reminded else 'belum pernah'}")
    text = st.text_area(
        "Isi pesan (boleh disunting sebelum dikirim)",
        value=row.message,
        height=320,
        key=f"dorman_message_{'_'.join(map(str, row.account_ids))}",
    )
    send_buttons(row.phone, row.admin_email, row.subject, text,
                 " Silakan lengkapi di halaman Pengaturan.")  # fmt: skip

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
        args=(row.account_ids, channel, recipient, text),
        type="primary",
        key="dorman_mark",
        disabled=not can_record,
    )

if len(unreadable):
    st.subheader("Akun yang tidak dapat dibaca")
    st.caption(
        "Pantau gagal mengambil data akun berikut, jadi tidak diketahui apakah akun itu masih "
        "aktif. Akun ini tidak dianggap dorman dan tidak diberi pengingat dorman; lakukan "
        "langkah yang tertulis pada setiap akun."
    )
    unreadable_list(unreadable)

no_account = load_opds_without_account()
if categories:  # the category filter applies to these OPDs too
    no_account = no_account[no_account["category"].isin(categories)]
no_account_section(no_account, key="dorman_no_account")

st.subheader("Antrean pengingat")
smtp = "sudah" if get_settings().smtp_configured else "belum"
st.caption(
    "Setiap pagi proses otomatis terjadwal menyiapkan pengingat untuk akun yang dorman. Tanpa "
    "server surel (SMTP), pengingat itu menunggu di sini sampai dikirim lewat WhatsApp atau "
    "surel dan ditandai terkirim. Bila SMTP diatur, pengingat untuk admin yang alamat "
    "surelnya tercatat dikirim otomatis; yang gagal terkirim muncul di sini beserta pesan "
    f"kesalahannya. Server surel {smtp} diatur."
)
if QUEUE_FLASH_KEY in st.session_state:
    done, note = st.session_state.pop(QUEUE_FLASH_KEY)
    if done:
        st.success(note, icon=":material/check_circle:")
    else:
        st.warning(note)
if not queued:
    st.caption("Tidak ada pengingat yang menunggu dikirim.")
for item in queued:
    rid = item.reminder_ids[0]  # the message's first row tells its widgets apart
    # an expander's label is Markdown: the OPD names and handles in it are the office's text
    with st.expander(md_escape(item.title), expanded=len(queued) <= 3):
        st.caption(md_escape(item.details))
        if item.error:
            st.error(f"Kesalahan pengiriman terakhir: {md_escape(item.error)}")
        text = st.text_area(
            "Isi pesan (boleh disunting sebelum dikirim)",
            value=item.message,
            height=200,
            key=f"antrean_message_{rid}",
        )
        send_buttons(item.phone, item.email, item.subject, text)
        sent_by = str(
            st.radio(
                "Dikirim lewat", reminders.CHANNELS, format_func=channel_label, horizontal=True,
                index=reminders.CHANNELS.index(item.channel), key=f"antrean_channel_{rid}",
            )
        )  # fmt: skip
        col_sent, col_cancel = st.columns(2)
        col_sent.button(
            "Tandai terkirim",
            on_click=mark_queue_sent,
            args=(
                item.reminder_ids,
                sent_by,
                item.phone if sent_by == "whatsapp" else item.email,
                text,
            ),
            type="primary",
            key=f"antrean_sent_{rid}",
            disabled=not can_record,
        )
        col_cancel.button(
            "Batalkan", on_click=cancel_queued, args=(item.reminder_ids,),
            key=f"antrean_cancel_{rid}", disabled=not can_record,
        )  # fmt: skip
