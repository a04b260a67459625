# ruff: noqa: E501  (a data table: one service per line reads better than wrapped lines)
"""The demo mall's 191 services, most used first within each agency (demo data only).

One line per service: code suffix | name | kind | duration | fee | product | requirements [| prefix].
Kind: K kependudukan, P perizinan, N non-perizinan, L lainnya. Fee "-" means free
and is published as "Gratis / Rp 0". Without a prefix a service gets its agency's
two-letter base and a letter (SMA, SMB, ...).
"""

from __future__ import annotations

from dataclasses import dataclass

from satuatap.directory.durations import working_days_from

FREE = "Gratis / Rp 0"
KINDS = {"K": "kependudukan", "P": "perizinan", "N": "non_perizinan", "L": "other"}

_TABLE = {
    "DUKCAPIL": """
KTP-BARU | KTP-el baru | K | 1 hari kerja | - | KTP-el | Fotokopi Kartu Keluarga; berusia 17 tahun, sudah kawin atau pernah kawin; sudah perekaman biometrik | A
KTP-HILANG | KTP-el hilang/rusak | K | 1 hari kerja | - | KTP-el pengganti | Fotokopi Kartu Keluarga; surat keterangan kehilangan dari kepolisian atau KTP-el yang rusak | B
KTP-UBAH | KTP-el perubahan data | K | 1 hari kerja | - | KTP-el | KTP-el lama; Kartu Keluarga terbaru; dokumen pendukung perubahan (akta, ijazah, buku nikah) | C
KK-BARU | Kartu Keluarga baru | K | 1 hari kerja | - | Kartu Keluarga | Buku nikah atau kutipan akta perkawinan; surat keterangan pindah bila dari luar daerah; formulir F-1.01 | K
KK-UBAH | Kartu Keluarga perubahan (tambah/kurang anggota) | K | 1 hari kerja | - | Kartu Keluarga | Kartu Keluarga lama; akta kelahiran, akta kematian atau surat pindah anggota; formulir F-1.02 | D
KIA | Kartu Identitas Anak | K | 1 hari kerja | - | Kartu Identitas Anak | Fotokopi akta kelahiran anak; Kartu Keluarga orang tua; pas foto berwarna 2x3 untuk anak 5 tahun ke atas | E
AKTA-LAHIR | Akta kelahiran | K | 1 hari kerja | - | Kutipan akta kelahiran | Surat keterangan lahir dari dokter/bidan; Kartu Keluarga; KTP-el orang tua; buku nikah atau akta perkawinan; dua saksi | L
AKTA-MATI | Akta kematian | K | 1 hari kerja | - | Kutipan akta kematian | Surat keterangan kematian dari rumah sakit atau kelurahan; KK dan KTP-el almarhum; KTP-el pelapor | M
AKTA-KAWIN | Akta perkawinan (non-Muslim) | K | 1 hari kerja | - | Kutipan akta perkawinan | Surat keterangan perkawinan dari pemuka agama; KTP-el dan KK kedua mempelai; pas foto berdampingan 4x6; dua saksi | N
AKTA-CERAI | Akta perceraian | K | 1 hari kerja | - | Kutipan akta perceraian | Salinan putusan pengadilan berkekuatan hukum tetap; kutipan akta perkawinan asli; KTP-el dan KK | P
AKUI-ANAK | Pengakuan/pengesahan anak | K | 3 hari kerja | - | Catatan pinggir pada akta kelahiran | Kutipan akta kelahiran anak; surat pengakuan ayah yang disetujui ibu atau penetapan pengadilan; KK; KTP-el orang tua | DA
PINDAH-KELUAR | Surat pindah keluar | K | 1 hari kerja | - | Surat Keterangan Pindah WNI | Kartu Keluarga; KTP-el; formulir F-1.03 | S
PINDAH-DATANG | Surat pindah datang | K | 1 hari kerja | - | Kartu Keluarga dan KTP-el alamat baru | Surat Keterangan Pindah dari daerah asal; KTP-el; formulir F-1.03 | T
LEGALISIR | Legalisir dokumen kependudukan | K | Selesai di tempat | - | Dokumen terlegalisir | Dokumen asli; fotokopi yang akan dilegalisir | G
REKAM-KTP | Perekaman KTP-el | K | Selesai di tempat (±15 menit) | - | Data biometrik terekam | Fotokopi Kartu Keluarga; berusia 17 tahun atau sudah kawin | R
CETAK-KTP | Cetak ulang KTP-el | K | 1 hari kerja | - | KTP-el | KTP-el lama yang rusak atau surat keterangan kehilangan; Kartu Keluarga | U
IKD | Aktivasi Identitas Kependudukan Digital (IKD) | K | Selesai di tempat (±10 menit) | - | Akun IKD aktif | KTP-el; telepon pintar dengan aplikasi IKD; alamat email aktif | I
NIK-GANDA | Konsolidasi data/NIK ganda | K | 3 hari kerja | - | Data kependudukan terkonsolidasi | KTP-el dan KK semua versi; dokumen pendukung (akta kelahiran, ijazah) | DB
SKET-DUDUK | Surat keterangan kependudukan | K | 1 hari kerja | - | Surat keterangan | KTP-el; Kartu Keluarga; surat pengantar kelurahan | DC
WNA | Pencatatan WNA (KITAS/KITAP) | K | 3 hari kerja | - | Surat Keterangan Tempat Tinggal atau KTP-el WNA | Paspor; KITAS atau KITAP; Surat Tanda Melapor Diri dari kepolisian | DD
GANTI-NAMA | Perubahan nama (penetapan pengadilan) | K | 1 hari kerja | - | Catatan pinggir pada akta | Salinan penetapan pengadilan; kutipan akta asli; KK; KTP-el | DE
KONSUL | Konsultasi kependudukan | N | Selesai di tempat | - | Informasi dan arahan | KTP-el atau identitas lain | DF
""",
    "DPMPTSP": """
NIB | Nomor Induk Berusaha (OSS) | P | 1 hari kerja | - | Nomor Induk Berusaha | KTP-el; NPWP; akun OSS; alamat email aktif | Y
PBG | Persetujuan Bangunan Gedung (PBG) | P | 28 hari kerja | Retribusi PBG sesuai luas bangunan per m² | Dokumen PBG | KTP-el; bukti kepemilikan tanah; gambar rencana teknis; dokumen lingkungan
SLF | Sertifikat Laik Fungsi | P | 3 hari kerja setelah pemeriksaan | - | Sertifikat Laik Fungsi | PBG; laporan pemeriksaan kelaikan fungsi; gambar terbangun (as built drawing)
REKLAME | Izin reklame | P | 5 hari kerja | Pajak reklame sesuai ukuran dan lokasi | Izin reklame | KTP-el; NIB; desain dan ukuran reklame; foto lokasi; izin pemilik lahan
SIP-DOKTER | Surat Izin Praktik dokter | P | 5 hari kerja | - | Surat Izin Praktik | STR aktif; rekomendasi IDI; surat keterangan tempat praktik; pas foto 4x6
SIP-BIDAN | Surat Izin Praktik bidan | P | 5 hari kerja | - | Surat Izin Praktik | STR aktif; rekomendasi IBI; surat keterangan tempat praktik; pas foto 4x6
SIP-PERAWAT | Surat Izin Praktik perawat | P | 5 hari kerja | - | Surat Izin Praktik | STR aktif; rekomendasi PPNI; surat keterangan tempat praktik; pas foto 4x6
SIP-APOTEKER | Surat Izin Praktik apoteker | P | 5 hari kerja | - | Surat Izin Praktik | STR aktif; rekomendasi IAI; surat keterangan tempat praktik; pas foto 4x6
TOKO-MODERN | Izin usaha toko modern | P | 10 hari kerja | - | Izin usaha toko modern | NIB; PBG; kajian sosial-ekonomi; perjanjian kemitraan dengan UMKM
KONSUL | Konsultasi perizinan | N | Selesai di tempat | - | Informasi dan pendampingan | KTP-el
KKPR | Kesesuaian Kegiatan Pemanfaatan Ruang (KKPR) | P | 20 hari kerja | - | Persetujuan KKPR | NIB; koordinat lokasi; bukti penguasaan tanah; rencana teknis
LINGKUNGAN | Persetujuan lingkungan (SPPL/UKL-UPL) | P | 15 hari kerja | - | Persetujuan lingkungan | NIB; KKPR; dokumen UKL-UPL atau SPPL
TDUP | Tanda Daftar Usaha Pariwisata | P | 3 hari kerja | - | Sertifikat standar usaha pariwisata | NIB; KTP-el; foto tempat usaha
KLINIK | Izin operasional klinik | P | 14 hari kerja | - | Izin operasional klinik | NIB; PBG dan SLF; daftar tenaga kesehatan; rekomendasi Dinas Kesehatan
APOTEK | Izin apotek | P | 12 hari kerja | - | Izin apotek | NIB; SIP apoteker; denah bangunan; daftar sarana dan peralatan
TOKO-OBAT | Izin toko obat | P | 12 hari kerja | - | Izin toko obat | NIB; surat izin praktik tenaga teknis kefarmasian; denah bangunan
LABKLINIK | Izin laboratorium klinik | P | 14 hari kerja | - | Izin operasional laboratorium | NIB; PBG dan SLF; daftar tenaga dan peralatan; rekomendasi Dinas Kesehatan
RUMAH-SAKIT | Izin operasional rumah sakit kelas C/D | P | 30 hari kerja | - | Izin operasional rumah sakit | NIB; profil rumah sakit; PBG dan SLF; hasil visitasi
PAUD | Izin pendirian PAUD | P | 14 hari kerja | - | Izin operasional PAUD | Akta yayasan; data pendidik; denah ruang; rekomendasi Dinas Pendidikan
SEKOLAH | Izin operasional sekolah swasta (SD/SMP) | P | 14 hari kerja | - | Izin operasional sekolah | Akta yayasan; data pendidik dan peserta didik; bukti sarana; rekomendasi Dinas Pendidikan
MENARA | Persetujuan menara telekomunikasi | P | 14 hari kerja | Retribusi pengendalian menara sesuai perda | Persetujuan menara | NIB; KKPR; gambar konstruksi; persetujuan warga sekitar
GUDANG | Tanda Daftar Gudang | P | 3 hari kerja | - | Tanda Daftar Gudang | NIB; PBG; foto dan denah gudang
NIB-UBAH | Perubahan data NIB | P | 1 hari kerja | - | NIB dengan data baru | Akun OSS; akta perubahan atau dokumen pendukung
PENGADUAN | Pengaduan perizinan | N | 5 hari kerja | - | Tindak lanjut pengaduan | KTP-el; nomor permohonan atau izin
""",
    "BPN": """
CEK-SERTIFIKAT | Pengecekan sertifikat | N | 1 hari kerja | Rp 50.000 | Catatan pengecekan pada sertifikat | Sertifikat asli; KTP-el pemohon; surat kuasa bila dikuasakan
PERALIHAN | Peralihan hak jual beli | P | 5 hari kerja | PNBP sesuai nilai tanah | Sertifikat atas nama pembeli | Sertifikat asli; akta jual beli PPAT; KTP-el dan KK para pihak; bukti bayar BPHTB dan PPh; SPPT PBB
ROYA | Roya (hapus hak tanggungan) | N | 5 hari kerja | Rp 50.000 | Catatan roya pada sertifikat | Sertifikat asli; sertifikat hak tanggungan; surat roya dari bank; KTP-el
ZNT | Informasi Zona Nilai Tanah | N | Selesai di tempat | Rp 50.000 per bidang | Surat keterangan ZNT | KTP-el; lokasi atau nomor bidang tanah
HT-EL | Pendaftaran hak tanggungan elektronik | N | 7 hari kerja | PNBP sesuai nilai hak tanggungan | Sertifikat hak tanggungan elektronik | Akta pemberian hak tanggungan; sertifikat; KTP-el
UKUR | Pengukuran dan pemetaan bidang tanah | N | 14 hari kerja | PNBP sesuai luas bidang | Surat ukur | Bukti kepemilikan; KTP-el; tanda batas terpasang
HILANG | Penggantian sertifikat hilang | N | 30 hari kerja setelah pengumuman | PNBP sesuai luas bidang | Sertifikat pengganti | Laporan kehilangan kepolisian; sumpah di hadapan pejabat BPN; KTP-el
PEMECAHAN | Pemecahan/pemisahan bidang tanah | P | 15 hari kerja | PNBP sesuai luas bidang | Sertifikat hasil pemecahan | Sertifikat asli; KTP-el; rencana tapak (siteplan) bila perumahan
""",
    "DAMKAR": """
REKOM-PBG | Rekomendasi proteksi kebakaran untuk PBG | P | 7 hari kerja | - | Rekomendasi teknis | Gambar sistem proteksi kebakaran; dokumen PBG; surat permohonan
PERIKSA | Pemeriksaan keselamatan kebakaran gedung | N | 7 hari kerja | - | Berita acara pemeriksaan | Surat permohonan; gambar gedung; data sarana proteksi
SIMULASI | Permohonan pelatihan dan simulasi pemadaman | N | 7 hari kerja | - | Jadwal pelatihan | Surat permohonan dari instansi/perusahaan
KONSUL-APAR | Konsultasi alat pemadam api ringan | N | Selesai di tempat | - | Informasi dan arahan | -
""",
    "DINKES": """
REKOM-SIP | Rekomendasi SIP tenaga kesehatan | P | 3 hari kerja | - | Surat rekomendasi | STR aktif; rekomendasi organisasi profesi; surat keterangan tempat praktik
PIRT | Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT) | P | 14 hari kerja | - | SPP-IRT | NIB; sertifikat penyuluhan keamanan pangan; label produk
PENYULUHAN | Penyuluhan keamanan pangan | N | Sesuai jadwal angkatan | - | Sertifikat penyuluhan | KTP-el; NIB
HIGIENE | Sertifikat laik higiene sanitasi | P | 14 hari kerja | - | Sertifikat laik higiene sanitasi | NIB; hasil uji laboratorium; denah tempat usaha
REKOM-KLINIK | Rekomendasi izin klinik | P | 7 hari kerja | - | Surat rekomendasi | Profil klinik; daftar tenaga kesehatan; hasil visitasi
""",
    "DISNAKER": """
AK1 | Kartu pencari kerja (AK/1) | N | 1 hari kerja | - | Kartu AK/1 | KTP-el; ijazah terakhir; pas foto 3x4
LPK | Pendaftaran Lembaga Pelatihan Kerja | P | 10 hari kerja | - | Tanda daftar LPK | Akta pendirian; data instruktur; program pelatihan; bukti sarana
PP | Pengesahan peraturan perusahaan | N | 7 hari kerja | - | Surat keputusan pengesahan | Draf peraturan perusahaan; bukti wajib lapor ketenagakerjaan
WLKP | Wajib lapor ketenagakerjaan perusahaan | N | 1 hari kerja | - | Bukti lapor | NIB; data tenaga kerja
PERSELISIHAN | Pencatatan perselisihan hubungan industrial | N | 30 hari kerja | - | Anjuran atau perjanjian bersama | Risalah perundingan bipartit; KTP-el
""",
    "LPSE": """
VERIFIKASI | Verifikasi penyedia | N | Selesai di tempat | - | Akun SPSE terverifikasi | KTP-el; NIB; NPWP; akta pendirian asli
E-TENDER | Pendampingan e-tender | N | Selesai di tempat | - | Pendampingan | Akun SPSE
KONSUL | Konsultasi pengadaan | N | Selesai di tempat | - | Informasi dan arahan | -
RESET | Reset kata sandi akun SPSE | N | Selesai di tempat | - | Akun dapat dipakai kembali | KTP-el pemilik akun; surat kuasa bila diwakilkan
""",
    "DISHUB": """
UJI-KIR | Uji berkala kendaraan (KIR) | N | 1 hari kerja | Retribusi sesuai jenis kendaraan | Kartu uji dan tanda uji | STNK; buku uji lama; kendaraan dibawa ke tempat uji
TRAYEK | Izin trayek angkutan | P | 14 hari kerja | - | Izin trayek | NIB; daftar kendaraan; bukti lulus uji KIR
ANDALALIN | Persetujuan analisis dampak lalu lintas | P | 30 hari kerja | - | Persetujuan andalalin | Dokumen andalalin; KKPR; gambar rencana
PARKIR | Izin penyelenggaraan parkir | P | 14 hari kerja | - | Izin parkir | NIB; denah lokasi parkir; bukti penguasaan lahan
""",
    "DISPERINDAG": """
TERA | Tera ulang timbangan dan UTTP | N | 3 hari kerja | Retribusi tera sesuai jenis alat | Tanda tera sah | Alat ukur, takar, timbang; KTP-el pemilik
SKA | Surat keterangan asal (SKA) | N | 1 hari kerja | - | SKA | NIB; invoice; packing list; bill of lading
STPW | Surat Tanda Pendaftaran Waralaba | P | 5 hari kerja | - | STPW | NIB; prospektus penawaran; perjanjian waralaba
HALAL-MEREK | Pendampingan sertifikasi halal dan merek IKM | N | Selesai di tempat | - | Pendampingan | NIB; contoh produk
""",
    "KESBANGPOL": """
SKT-ORMAS | Surat keterangan terdaftar ormas | N | 15 hari kerja | - | Surat keterangan terdaftar | Akta pendirian; AD/ART; susunan pengurus; surat domisili
PENELITIAN | Rekomendasi penelitian | N | 1 hari kerja | - | Surat rekomendasi | Surat pengantar kampus; proposal penelitian; KTP-el
KEGIATAN | Rekomendasi izin kegiatan kemasyarakatan | N | 3 hari kerja | - | Surat rekomendasi | Surat permohonan; susunan panitia; rincian acara
""",
    "DISPORA": """
REKOM-OKP | Rekomendasi organisasi kepemudaan | N | 5 hari kerja | - | Surat rekomendasi | Akta pendirian; AD/ART; susunan pengurus
GOR | Izin penggunaan fasilitas olahraga | N | 3 hari kerja | Retribusi sesuai perda | Surat izin penggunaan | Surat permohonan; jadwal kegiatan; KTP-el penanggung jawab
""",
    "POLRESTA": """
SKCK-BARU | SKCK baru | N | 1 hari kerja | Rp 30.000 | SKCK | KTP-el; Kartu Keluarga; akta kelahiran; pas foto 4x6 latar merah 6 lembar; kartu sidik jari | V
SKCK-PANJANG | SKCK perpanjangan | N | 1 hari kerja | Rp 30.000 | SKCK | SKCK lama (paling lama 1 tahun); KTP-el; pas foto 4x6 latar merah
KEHILANGAN | Surat keterangan kehilangan | N | Selesai di tempat | - | Surat Keterangan Tanda Lapor Kehilangan | KTP-el; keterangan dokumen atau barang yang hilang
KERAMAIAN | Izin keramaian | N | 3 hari kerja | - | Surat izin keramaian | KTP-el; surat pengantar kelurahan; rekomendasi camat; rincian acara
SIDIK-JARI | Pengambilan sidik jari | N | Selesai di tempat | - | Kartu sidik jari | KTP-el
STMD | Surat Tanda Melapor Diri WNA | N | 1 hari kerja | - | Surat Tanda Melapor Diri | Paspor; KITAS atau KITAP; surat sponsor
""",
    "POLDA": """
SIM-A-PANJANG | Perpanjangan SIM A | N | 1 hari kerja | Rp 80.000 | SIM A | SIM lama; KTP-el; surat keterangan sehat jasmani; surat lulus tes psikologi | Z
SIM-C-PANJANG | Perpanjangan SIM C | N | 1 hari kerja | Rp 75.000 | SIM C | SIM lama; KTP-el; surat keterangan sehat jasmani; surat lulus tes psikologi
SIM-B1-PANJANG | Perpanjangan SIM B1 | N | 1 hari kerja | Rp 80.000 | SIM B1 | SIM lama; KTP-el; surat keterangan sehat jasmani; surat lulus tes psikologi
SIM-HILANG | Penggantian SIM hilang/rusak | N | 1 hari kerja | Rp 80.000 (SIM A/B) / Rp 75.000 (SIM C) | SIM pengganti | Surat keterangan kehilangan atau SIM rusak; KTP-el; surat keterangan sehat
SKCK-LN | SKCK untuk keperluan luar negeri | N | 3 hari kerja | Rp 30.000 | SKCK | KTP-el; paspor; Kartu Keluarga; akta kelahiran; pas foto 4x6; kartu sidik jari
LEGALISIR-SIM | Legalisir SIM | N | Selesai di tempat | - | Fotokopi SIM terlegalisir | SIM asli; fotokopi SIM
""",
    "SAMSAT": """
PKB | Pembayaran pajak kendaraan tahunan (PKB) | N | Selesai di tempat (±30 menit) | Sesuai PKB dan SWDKLLJ pada notice | STNK disahkan dan notice pajak | KTP-el sesuai STNK; STNK asli | J
STNK-5 | Pengesahan STNK 5 tahunan (ganti plat) | N | Selesai pada hari yang sama | PNBP STNK Rp 100.000 (R2) / Rp 200.000 (R4), TNKB dan PKB | STNK baru dan TNKB | KTP-el; STNK; BPKB asli; hasil cek fisik kendaraan
BBNKB | Balik nama kendaraan (BBNKB) | N | 3 hari kerja | BBNKB sesuai perda dan PNBP STNK/BPKB | STNK dan BPKB atas nama baru | KTP-el pemilik baru; kuitansi jual beli; BPKB; STNK; hasil cek fisik
MUTASI-KELUAR | Mutasi kendaraan keluar daerah | N | 3 hari kerja | PNBP mutasi sesuai PP 76/2020 | Berkas mutasi | KTP-el; STNK; BPKB; hasil cek fisik
MUTASI-MASUK | Mutasi kendaraan masuk daerah | N | 3 hari kerja | BBNKB II dan PNBP sesuai ketentuan | STNK dan TNKB Riau | Berkas mutasi dari daerah asal; KTP-el; hasil cek fisik
STNK-HILANG | Penggantian STNK hilang | N | 3 hari kerja | PNBP STNK sesuai jenis kendaraan | STNK pengganti | Surat keterangan kehilangan; KTP-el; BPKB asli; hasil cek fisik
CEK-FISIK | Cek fisik kendaraan | N | Selesai di tempat | - | Blangko hasil cek fisik | Kendaraan; STNK
INFO-PAJAK | Informasi tunggakan pajak kendaraan | N | Selesai di tempat | - | Informasi tunggakan | Nomor polisi kendaraan
BLOKIR | Blokir kendaraan setelah dijual | N | 1 hari kerja | - | Tanda bukti blokir | KTP-el pemilik; kuitansi jual beli; fotokopi STNK
SIGNAL | Pendampingan pembayaran pajak lewat aplikasi SIGNAL | N | Selesai di tempat | Sesuai PKB pada aplikasi | e-TBPKP | KTP-el; telepon pintar; data kendaraan
""",
    "JASARAHARJA": """
SANTUNAN | Santunan korban kecelakaan lalu lintas | N | 3 hari kerja | - | Santunan ditransfer ke rekening | Laporan polisi; KTP-el dan KK; surat keterangan kesehatan atau kematian; kuitansi rumah sakit
SWDKLLJ | Pembayaran SWDKLLJ bersama Samsat | N | Selesai di tempat | Sesuai tarif SWDKLLJ golongan kendaraan | Tanda bukti SWDKLLJ pada notice | STNK
INFO | Informasi dan pengaduan jaminan | N | Selesai di tempat | - | Informasi dan arahan | -
""",
    "KEJARI": """
TILANG | Pembayaran denda tilang | N | Selesai di tempat | Sesuai putusan pengadilan | Pengembalian SIM/STNK yang disita | Surat tilang; KTP-el
BARANG-BUKTI | Pengambilan barang bukti | N | 1 hari kerja | - | Barang bukti | Salinan putusan; KTP-el; bukti kepemilikan
KONSUL-HUKUM | Konsultasi hukum gratis | N | Selesai di tempat | - | Pendapat hukum lisan | KTP-el
""",
    "BPJSKES": """
DAFTAR | Pendaftaran peserta mandiri (PBPU) | N | 1 hari kerja | Gratis / Rp 0 (iuran bulanan sesuai kelas) | Nomor peserta JKN | KTP-el; Kartu Keluarga; buku rekening; email dan nomor telepon seluler | W
UBAH-DATA | Perubahan data peserta | N | Selesai di tempat | - | Data peserta mutakhir | Kartu JKN; KTP-el; Kartu Keluarga; dokumen pendukung
PINDAH-FASKES | Pindah fasilitas kesehatan tingkat pertama | N | Selesai di tempat; berlaku bulan berikutnya | - | Faskes baru tercatat | Kartu JKN; KTP-el
REAKTIVASI | Reaktivasi kepesertaan | N | 1 hari kerja | Gratis / Rp 0 (tunggakan iuran dilunasi) | Kepesertaan aktif kembali | Kartu JKN; KTP-el; bukti pelunasan iuran
TAMBAH-ANGGOTA | Penambahan anggota keluarga | N | 1 hari kerja | - | Nomor peserta anggota keluarga | Kartu Keluarga; akta kelahiran atau buku nikah; KTP-el
BAYI | Pendaftaran bayi baru lahir | N | 1 hari kerja | - | Nomor peserta bayi | Surat keterangan lahir; Kartu Keluarga; kartu JKN ibu
PENGADUAN | Pengaduan layanan JKN | N | 5 hari kerja | - | Tindak lanjut pengaduan | Kartu JKN; kronologi kejadian
""",
    "BPJSTK": """
KLAIM-JHT | Klaim Jaminan Hari Tua | N | 5 hari kerja | - | Saldo JHT ditransfer ke rekening | Kartu peserta; KTP-el; Kartu Keluarga; surat keterangan berhenti bekerja; buku rekening | X
DAFTAR-BPU | Pendaftaran peserta bukan penerima upah | N | Selesai di tempat | Gratis / Rp 0 (iuran mulai Rp 16.800 per bulan) | Kartu peserta | KTP-el; nomor telepon seluler
KLAIM-JKP | Klaim Jaminan Kehilangan Pekerjaan | N | 7 hari kerja | - | Manfaat uang tunai JKP | Bukti PHK; KTP-el; akun SIAPkerja; buku rekening
UBAH-DATA | Perubahan data peserta | N | 1 hari kerja | - | Data peserta mutakhir | Kartu peserta; KTP-el; dokumen pendukung
KLAIM-JKK | Klaim Jaminan Kecelakaan Kerja | N | 7 hari kerja | - | Penggantian biaya dan santunan | Laporan kecelakaan tahap I dan II; KTP-el; kartu peserta; kuitansi pengobatan
KLAIM-JKM | Klaim Jaminan Kematian | N | 3 hari kerja | - | Santunan kematian | Akta kematian; kartu peserta; Kartu Keluarga; KTP-el dan keterangan ahli waris
KLAIM-JP | Klaim Jaminan Pensiun | N | 5 hari kerja | - | Manfaat pensiun | Kartu peserta; KTP-el; Kartu Keluarga; buku rekening; surat keterangan berhenti bekerja
""",
    "DJP": """
NPWP | Pendaftaran NPWP | N | Selesai di tempat | - | Kartu NPWP (NIK sebagai NPWP) | KTP-el; alamat email aktif
SPT | Konsultasi SPT Tahunan | N | Selesai di tempat | - | Pendampingan pengisian SPT | EFIN; bukti potong pajak
EFIN | Aktivasi EFIN | N | Selesai di tempat | - | EFIN | KTP-el; NPWP
SKF | Surat keterangan fiskal | N | 3 hari kerja | - | Surat keterangan fiskal | Surat permohonan; NPWP
PKP | Pengukuhan Pengusaha Kena Pajak | N | 10 hari kerja | - | Surat Pengukuhan PKP | NPWP; NIB; bukti tempat usaha
NON-EFEKTIF | Penetapan wajib pajak non-efektif | N | 5 hari kerja | - | Pemberitahuan status non-efektif | Surat permohonan; NPWP
CORETAX | Pendampingan akun Coretax | N | Selesai di tempat | - | Akun Coretax aktif | KTP-el; alamat email dan nomor telepon aktif
""",
    "BAPENDA": """
PBB-BAYAR | Pembayaran PBB-P2 | N | Selesai di tempat | Sesuai SPPT PBB-P2 | Tanda lunas PBB-P2 | SPPT atau Nomor Objek Pajak
PBB-MUTASI | Mutasi objek/subjek PBB-P2 | N | 7 hari kerja | - | SPPT perubahan | Sertifikat atau akta jual beli; KTP-el; SPPT terakhir
PBB-SPPT | Cetak ulang SPPT PBB-P2 | N | Selesai di tempat | - | SPPT | Nomor Objek Pajak; KTP-el
BPHTB | Validasi BPHTB | N | 3 hari kerja | BPHTB 5% dari (NPOP dikurangi NPOPTKP) | SSPD BPHTB tervalidasi | SSPD; akta atau draf akta; SPPT; KTP-el
PAJAK-HOTEL | Pendaftaran dan pelaporan pajak hotel dan restoran | N | 1 hari kerja | - | NPWPD | NIB; KTP-el; bukti tempat usaha
KEBERATAN | Keberatan dan pengurangan PBB-P2 | N | 30 hari kerja | - | Surat keputusan | Surat permohonan; SPPT; bukti pendukung
""",
    "TASPEN": """
KLAIM | Klaim pensiun dan Tabungan Hari Tua (THT) | N | 1 hari kerja | - | Manfaat ditransfer ke rekening | SK pensiun; KTP-el; Kartu Keluarga; buku rekening
OTENTIKASI | Otentikasi peserta | N | Selesai di tempat | - | Status otentikasi | KTP-el; kartu peserta Taspen
UBAH-PENERIMA | Perubahan data penerima manfaat | N | 3 hari kerja | - | Data penerima mutakhir | KTP-el; Kartu Keluarga; dokumen pendukung
JANDA-DUDA | Pensiun janda/duda | N | 3 hari kerja | - | SK pensiun janda/duda | Akta kematian; buku nikah; Kartu Keluarga; KTP-el
INFO | Informasi layanan peserta | N | Selesai di tempat | - | Informasi dan arahan | Kartu peserta atau NIP
""",
    "IMIGRASI": """
PASPOR-BARU | Paspor baru 48 halaman | N | 4 hari kerja | Rp 350.000 | Paspor | KTP-el; Kartu Keluarga; akta kelahiran, buku nikah atau ijazah; bukti bayar PNBP | H
E-PASPOR | E-paspor 48 halaman | N | 4 hari kerja | Rp 650.000 | E-paspor | KTP-el; Kartu Keluarga; akta kelahiran, buku nikah atau ijazah; bukti bayar PNBP
PASPOR-GANTI | Penggantian paspor habis berlaku | N | 4 hari kerja | Rp 350.000 | Paspor | Paspor lama; KTP-el; bukti bayar PNBP
PASPOR-HILANG | Paspor hilang/rusak | N | 4 hari kerja setelah berita acara pemeriksaan | Rp 350.000 dan biaya beban sesuai PP PNBP | Paspor pengganti | Surat keterangan kehilangan kepolisian; KTP-el; Kartu Keluarga
PASPOR-ANAK | Paspor anak (di bawah 17 tahun) | N | 4 hari kerja | Rp 350.000 | Paspor | Akta kelahiran; KTP-el dan paspor kedua orang tua; Kartu Keluarga; buku nikah orang tua
AMBIL | Pengambilan paspor | N | Selesai di tempat | - | Paspor | Tanda terima permohonan; KTP-el
KONSUL | Konsultasi keimigrasian | N | Selesai di tempat | - | Informasi dan arahan | -
""",
    "KEMENAG": """
HAJI | Pendaftaran haji reguler | N | 1 hari kerja | Setoran awal BPIH Rp 25.000.000 melalui bank penerima setoran | Surat pendaftaran haji (SPPH) | KTP-el; Kartu Keluarga; akta kelahiran atau ijazah; bukti setoran awal; pas foto
LEGAL-NIKAH | Legalisasi buku nikah | N | Selesai di tempat | - | Fotokopi buku nikah terlegalisasi | Buku nikah asli; fotokopi buku nikah
UMRAH | Rekomendasi paspor umrah | N | 1 hari kerja | - | Surat rekomendasi | KTP-el; surat keterangan dari penyelenggara umrah
INFO-HAJI | Informasi pembatalan dan pelimpahan porsi haji | N | Selesai di tempat | - | Informasi dan arahan | Bukti pendaftaran haji; KTP-el
""",
    "PN": """
SKTPP | Surat keterangan tidak pernah dipidana | N | 1 hari kerja | - | Surat keterangan | KTP-el; SKCK; surat pengantar keperluan
LEGALISASI | Legalisasi surat di bawah tangan | N | Selesai di tempat | PNBP Rp 10.000 per dokumen | Dokumen terlegalisasi | Dokumen asli; KTP-el para pihak
INFO-PERKARA | Informasi perkara | N | Selesai di tempat | - | Informasi status perkara | Nomor perkara
E-COURT | Pendampingan pendaftaran perkara e-court | N | Selesai di tempat | Sesuai panjar biaya perkara | Nomor perkara | KTP-el; surat gugatan; alamat email
""",
    "PA": """
INFO-PERKARA | Informasi perkara | N | Selesai di tempat | - | Informasi status perkara | Nomor perkara
GUGATAN | Pendaftaran gugatan (e-court) | N | Selesai di tempat | Sesuai panjar biaya perkara | Nomor perkara | KTP-el; buku nikah; surat gugatan
AKTA-CERAI | Pengambilan akta cerai | N | Selesai di tempat | PNBP Rp 10.000 | Akta cerai | KTP-el; nomor perkara
ISBAT | Permohonan isbat nikah | N | Selesai di tempat | Sesuai panjar biaya perkara | Nomor perkara | KTP-el; Kartu Keluarga; surat keterangan kelurahan
""",
    "DISSOS": """
DTKS | Pengusulan DTKS dan bantuan sosial | N | 14 hari kerja | - | Data terusul di DTKS | KTP-el; Kartu Keluarga; surat pengantar kelurahan
SKTM | Rekomendasi surat keterangan tidak mampu | N | 1 hari kerja | - | Surat rekomendasi | KTP-el; Kartu Keluarga; surat pengantar kelurahan
DISABILITAS | Kartu penyandang disabilitas | N | 3 hari kerja | - | Kartu penyandang disabilitas | KTP-el; Kartu Keluarga; surat keterangan dokter
PBI | Rekomendasi Penerima Bantuan Iuran JKN | N | 1 hari kerja | - | Surat rekomendasi | KTP-el; Kartu Keluarga; data DTKS
""",
    "PDAM": """
PASANG-BARU | Pasang baru sambungan air | N | 14 hari kerja | Biaya sambungan sesuai golongan pelanggan | Sambungan air terpasang | KTP-el; Kartu Keluarga; denah lokasi; bukti kepemilikan rumah
BALIK-NAMA | Balik nama pelanggan | N | 3 hari kerja | Rp 50.000 | Data pelanggan baru | KTP-el pemilik baru; bukti kepemilikan; rekening air terakhir
TAGIHAN | Pengaduan tagihan air | N | 3 hari kerja | - | Tindak lanjut pengaduan | Nomor pelanggan; rekening air terakhir
BAYAR | Pembayaran rekening air | N | Selesai di tempat | Sesuai tagihan | Bukti bayar | Nomor pelanggan
""",
    "PLN": """
PASANG-BARU | Pasang baru listrik | N | 5 hari kerja | Biaya penyambungan sesuai daya | Sambungan listrik terpasang | KTP-el; denah lokasi; sertifikat laik operasi instalasi
TAMBAH-DAYA | Tambah daya listrik | N | 5 hari kerja | Biaya penyambungan sesuai selisih daya | Daya baru terpasang | KTP-el; ID pelanggan; sertifikat laik operasi instalasi
BALIK-NAMA | Balik nama pelanggan listrik | N | 3 hari kerja | - | Data pelanggan baru | KTP-el; ID pelanggan; bukti kepemilikan
PENGADUAN | Pengaduan gangguan dan tagihan | N | 3 hari kerja | - | Tindak lanjut pengaduan | ID pelanggan
""",
    "POS": """
KIRIM-DOKUMEN | Pengiriman dokumen hasil layanan ke rumah | L | 1–3 hari kerja | Sesuai tarif kiriman (mulai Rp 15.000) | Dokumen diantar ke alamat | Tanda terima layanan; alamat lengkap
PNBP | Pembayaran PNBP | L | Selesai di tempat | Sesuai PNBP layanan | Bukti bayar | Kode billing
BANSOS | Penyaluran bantuan sosial dan pensiun | L | Selesai di tempat | - | Bantuan diterima | KTP-el; surat undangan penyaluran
PAKET | Pengiriman paket dan surat | L | Sesuai layanan kiriman | Sesuai tarif kiriman | Resi pengiriman | Barang kiriman; alamat tujuan
""",
    "BRK": """
PAJAK-DAERAH | Pembayaran pajak daerah dan retribusi | L | Selesai di tempat | Sesuai tagihan | Bukti bayar | Kode bayar atau SPPT
REKENING | Pembukaan rekening | L | Selesai di tempat | Setoran awal sesuai jenis tabungan | Buku tabungan dan kartu debit | KTP-el; NPWP bila ada
KUR | Pengajuan Kredit Usaha Rakyat | L | 7 hari kerja | Gratis / Rp 0 (bunga sesuai ketentuan KUR) | Keputusan kredit | KTP-el; Kartu Keluarga; NIB; foto usaha
""",
    "BNI": """
PNBP-PASPOR | Pembayaran PNBP paspor | L | Selesai di tempat | Sesuai PNBP paspor | Bukti bayar | Kode billing imigrasi
REKENING | Pembukaan rekening | L | Selesai di tempat | Setoran awal sesuai jenis tabungan | Buku tabungan dan kartu debit | KTP-el; NPWP bila ada
PNBP-POLRI | Pembayaran PNBP SIM dan SKCK | L | Selesai di tempat | Sesuai PNBP | Bukti bayar | Kode billing
""",
    "BSI": """
SETORAN-HAJI | Setoran awal haji | L | Selesai di tempat | Rp 25.000.000 | Bukti setoran awal BPIH | KTP-el; buku tabungan haji
TABUNGAN-HAJI | Pembukaan tabungan haji | L | Selesai di tempat | Setoran awal sesuai ketentuan bank | Buku tabungan haji | KTP-el; Kartu Keluarga
REKENING | Pembukaan rekening | L | Selesai di tempat | Setoran awal sesuai jenis tabungan | Buku tabungan dan kartu debit | KTP-el; NPWP bila ada
""",
    "ORI": """
KONSUL | Konsultasi maladministrasi | N | Selesai di tempat | - | Informasi dan arahan | KTP-el
LAPORAN | Penerimaan laporan maladministrasi | N | 14 hari kerja untuk verifikasi | - | Tanda terima dan nomor laporan | KTP-el; kronologi; bukti pendukung
""",
}


@dataclass(frozen=True)
class ServiceSpec:
    agency: str
    code: str
    name: str
    kind: str
    duration: str
    completion_working_days: int | None  # the number ``duration`` promises; None: ends at the counter
    fee: str
    product: str
    requirements: str
    prefix: str  # "" = derive from the agency's base


def services() -> list[ServiceSpec]:
    rows = []
    for agency, block in _TABLE.items():
        for line in block.strip().splitlines():
            cells = [c.strip() for c in line.split("|")]
            suffix, name, kind, duration, fee, product, requirements = cells[:7]
            rows.append(
                ServiceSpec(
                    agency=agency,
                    code=f"{agency}-{suffix}",
                    name=name,
                    kind=KINDS[kind],
                    duration=duration,
                    completion_working_days=working_days_from(duration),
                    fee=FREE if fee == "-" else fee,
                    product=product,
                    requirements="Tidak ada persyaratan khusus" if requirements == "-" else requirements,
                    prefix=cells[7] if len(cells) > 7 else "",
                )
            )
    return rows
