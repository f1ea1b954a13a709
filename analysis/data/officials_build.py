#!/usr/bin/env python3
"""Build analysis/data/officials.csv (the officials gazetteer) from public source files.

The gazetteer maps heads of state, heads of government and foreign ministers to
an ISO 3166-1 alpha-3 country code and the dates of their spell in office.
Nothing is downloaded at run time: every input is a local copy of a file from a
public repository, passed on the command line.

Inputs
------
--leaders PATH
    ``data/leaders_history.csv`` from https://github.com/cfmessias/geografia
    (commit 2e1e3b9cf6bff86186ae26376a2deafdbd9c67e3): a Wikidata extract of
    heads of state and heads of government (columns iso3, country, role,
    person, person_qid, start, end, ...).  -> rows with source "wikidata".
--ep-dir DIR
    A folder holding ``html/holders21.csv`` of each EveryPolitician scraper
    repository listed in EP_REPOS below (https://github.com/every-politician-scrapers/<repo>),
    saved as ``<repo>.csv``.  Each is a Wikidata extract of the officeholders
    of one country's cabinet positions since about 2000.  Only the foreign
    minister position is used.  -> rows with source "everypolitician".
--foreign PATH
    ``sources/foreign/wikidata.csv`` from
    https://github.com/every-politician-scrapers/world (foreign ministers in
    office on the snapshot date, with start date).  -> source "everypolitician".
--wl2021 PATH (optional)
    ``data/wikidata.csv`` from https://github.com/every-politician-scrapers/world-leaders-2021
    (commit be7039cf5952d8121c4f1e24eea64cc5dd465633); used only for the
    English labels of heads of state and government (by Wikidata QID).
--out PATH
    Output CSV (default: officials.csv beside this script).

Rules
-----
* Only the 193 UN member states plus Kosovo (XKX), Palestine (PSE), Taiwan
  (TWN) and the Holy See (VAT) are kept.
* Spells must overlap 2000-01-01 .. 2026-12-31; spells without a usable start
  date are dropped (nothing is guessed).
* Dates given only to the year or month in the source are widened to the
  whole period (start -> first day, end -> last day).
* Statements for the same person, country and office whose spells overlap or
  touch are merged into one spell (the union of the dates).
* Names are the sources' English labels, folded to ASCII (diacritics removed).
  The leaders extract has partly Portuguese labels: where the same Wikidata
  item (QID) appears in an EveryPolitician file, its English label is used.
* Statements starting before 1900 are dropped from the leaders extract.
  Rows whose name is not in Latin script are dropped.
"""
from __future__ import annotations

import argparse
import calendar
import csv
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path

VERSION = "1.0.0"
WINDOW_START = date(2000, 1, 1)
WINDOW_END = date(2026, 12, 31)

# UN member states (193) + Kosovo, Palestine, Taiwan, Holy See.
TARGET = set("""
AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN
BOL BIH BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG CRI
CIV HRV CUB CYP CZE PRK COD DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI
FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB GUY HTI HND HUN ISL IND IDN IRN
IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY LIE LTU
LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MCO MNG MNE MAR MOZ MMR NAM NRU
NPL NLD NZL NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR
MDA ROU RUS RWA KNA LCA VCT WSM SMR STP SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM
ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN TUR TKM TUV UGA
UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE
XKX PSE TWN VAT
""".split())
assert len(TARGET) == 197, len(TARGET)

# EveryPolitician scraper repositories (github.com/every-politician-scrapers/<repo>)
# -> (ISO3, commit of the snapshot used).  Repositories of non-target
# jurisdictions were not used.
# One line per repository: name, ISO3 of its jurisdiction, commit of the snapshot used.
_EP_TABLE = """
afghanistan AFG f54eb517a816eb2db1f6d5e4ad0d60dcf9de7e74
albania-cabinet ALB e8d362eb360459d1ffad1dbf5eec480294ef4746
algeria-cabinet DZA a23de8549333fc55f861cc856d499acb9cd255de
andorra-cabinet AND e9ce75911474a86f696ba50f10f8e623a610424d
angola AGO 3e46a94f1c478495da9e44762ad61981f5f5bf68
antigua-barbuda-ministers ATG 57cc68e87bf1094821c8cd69392276a51e668ba5
argentina-ministers ARG 98105f511ea6ad6c9730e979190909cf34d9343b
armenia-ministers ARM 0f97f894d1206191bcc52e5925f00bac9a0299bf
australia-cabinet AUS 4c35a6ef087d076eb343b6177814574b2d6e43b8
austria-cabinet AUT d8d29777ec6abe3e2adfb82f5c308e944fb8f8a9
azerbaijan-cabinet AZE 88e2221afaeb133eb9ac369d5a036c69bbeefc4d
bahamas-cabinet BHS 66365968ce80d0d0c85f37646efd8f9fba2568c1
bahrain BHR d9163a148f80f34a6e043641de9adba473f576da
bangladesh-ministers BGD 9bf8dcec085888ba0a57f9073a0d504b74c33441
barbados-cabinet BRB c63bdb2c9c8439724774a61e70d384bc8f42bf58
belarus-ministers BLR 3edd7c7cbcba709c6165f7df09653dcbf50c7712
belgium-cabinet BEL a1420fcaec8b2c2966eebb13f352b95725d3785b
belize-ministers BLZ 27bea3488c0bf55a54d2a3006f8e8f2e79ccfd96
benin-ministers BEN 35c521b645cccb467b7692fdaf906980fc8e7c48
bhutan-ministers BTN 28d69fb4844350dbb4b51101754e8bfa74d300aa
bolivia-ministers BOL 9ecab9a992ff42c39561834734b028ac65c3ed2f
bosnia-herzegovina-ministers BIH 77bb9eb6a60e455fd4458255c9ac6fb5f9a5b2b2
botswana-ministers BWA 4e94be27870942b4d2a28b70b0c56a1109152422
brazil-ministers BRA de58065b42edc0c0f310185ffda9174540e9af5f
brunei-ministers BRN 775990725a8e0b4eb754fd80b2cb5e3e1e3bec28
bulgaria-cabinet BGR 2068236a3e5af84bd30f347afe86bcc089d6fd5d
burkina-faso BFA 497b82ab5ecdb13852b80433607c9c880687b4db
burundi-ministers BDI 466339de873cd443a53ef4ce272b31a9c7278069
cabo-verde CPV 70e2647a2bffdbc2f86d6b9054da28e40b50badc
cambodia KHM b08e1644f03b1652636e5826ef32ea5150365808
cameroon CMR 647bbdf2093fd92077f35c7b7a93bef37aa33919
canada-cabinet CAN 3b3f0da86ca64c7e3ce6d0f073ed66612885d06f
central-african-republic CAF f5ec169674fa9ce00bf5e4fee51a9aaee3e888fb
chad-ministers TCD 4f57b9626bf40b944bb63ea9d4f016420f71e3b7
chile-ministers CHL 412eb050c5f72daf9c0f31b6482c61180501c83a
china-ministers CHN 300341654d57cd10776238bae41c89b6ea315276
comoros COM 2a94d2df4aaff539508f2ae3d51a80208575cb5a
congo-brazzaville COG 949deaf5835030bf0c7b73a6f4cb8d0d1fb8b57a
congo-kinshasa-ministers COD fb78ee2e1afcd31cb21afcb2c18c01e01608b18d
costa-rica CRI e0bae021bc72c9b44bc08521819804da661bb23b
croatia-ministers HRV 6e44b5186fd289ec77c7a5d1378d86e4a1ad37a3
cuba CUB 5f8fa4ee8913ea123ef6727fbf0c8b3453fbbb86
cyprus-cabinet CYP 5fcbf4d37e23e62f820666403beb77e72c2f9916
czech-ministers CZE 1e53f23f9405feacef64241294c342ab8eca0319
denmark-cabinet DNK 1599847eacdd27202c9b84387407cef25458f309
djibouti-ministers DJI 548a01f93b5f8468418fad4021cf7caf21489b2b
dominica DMA c10805b6330842c3b16a39ba166472aa0c6fb7b0
dominican-republic DOM fd81a6770c656bf099ea70b518ef51062836a5ed
ecuador-ministers ECU b5360d52c89e2c9742019d3ea9c37972a737e243
egypt-ministers EGY f3820a30ce92a8557e3503202fed731e9d91275c
el-salvador-ministers SLV aa248a6120269e97bcc4a09855affa3dcb6ad76a
equatorial-guinea GNQ a713ce5acc59076c99ded9ea9f5b90cc2db9dbac
eritrea-ministers ERI 976e3d35bfda79df2f8e585c9930c98af8f65219
estonia EST 27ed68480fd69b680a523eab604b6ccf26ed4332
eswatini SWZ 76d48e5f949b29b96759671605f0e24e2f3f6962
ethiopia-ministers ETH e025c9ca8d02cc7f3a5522afd30d49350e64c5cf
fiji-ministers FJI 53d4e70db564d68efd8d71af19efacbcd8cbaf09
finland-cabinet FIN 56412ba38703d3181b5dd5675b8410b95f6a5487
france-cabinet FRA 7ff37baf3297a83711c90ac84b1d3b2ecb50a541
gabon-ministers GAB 824f2dd326741e5966429c371ba817014550157f
gambia-ministers GMB 826ec2d12887ebc8b33885e42f20e8ecd9d85e4c
georgia-ministers GEO e843205baddb9cd7321170ede5d08210b1bf6c78
ghana-ministers GHA 6301043ab47efa25fa0c944b6a4b523ea5a2eebe
greece-cabinet GRC 34bf1d17b4c2afa95e6063f93742e53f3d4c7454
grenada GRD 788288e53c9786149a700e17a8da4fd81946c361
guatemala-ministers GTM 573ce9cfca81ffa8bdcbb90dd74abf789899a4be
guinea GIN b6dbbddfdcd405529b096cf6e92ff16c424491b1
guinea-bissau GNB e583fba26d30c716516e2d6b18e2dff8b708ac70
guyana GUY 5be5ff6678eb3d6389388378c67abb50a032b4e9
haiti HTI a04bdb3638b01077d3409b41a95aa84ed29c3f5d
honduras-ministers HND a63b7746fe5da6b95e65fc5fbb2a85f198e3d230
hungary-cabinet HUN aee95092e592403fee7a5d87f0d6b8eeeda1e9ca
india-ministers IND 66f344bbf207d35eaa3225edf5584ae0bb164fe8
indonesia-ministers IDN 66eaaf57191eff7e9d28eea926358bf83d443114
iran-ministers IRN a8e7c2fb16372b8b77a09303ae27d46a9ea21e67
iraq-ministers IRQ ab7f90c8298be91e36248b2ca5d7f268cee0b173
ireland-ministers IRL 562aee81a3802e59acc4cf21c8fce6a8ca35f76e
israel-ministers ISR 81da8707e865df568c7ba8b0b89bf95e7ffd4ae1
italy-ministers ITA 4f9e038f62f3c71f737fd7e30a4e35df1686f4eb
ivory-coast CIV 44222480d31935982732e89a451ff590841f834f
jamaica-ministers JAM f5c6abbdb4d9d0799242d2e7219e9e9d20d5c172
japan-ministers JPN 8ba3cb1992bee87f5b8dc566da87db2be8550a1a
jordan-ministers JOR 34bc64166cbe64a6a784a7b134f2fd55872fa5f7
kazakhstan-cabinet KAZ caf651f97dc0efed4955887c17fd6fadcdf7b111
kenya KEN 845fa144b1aa18652748624528d836b81e51b7d0
kiribati-ministers KIR b70c47d96b48cc0841a058db0c98339b8f44db93
kosovo-cabinet XKX 66ca1f4176783fd77323a1f630723bd06b18abb0
kuwait-ministers KWT e663bce8539370de83f3f06eecb0e8d4ec50b14e
kyrgyzstan-ministers KGZ d8ff9828032fbb0e1f41920dd6af8c5c08a26a67
laos LAO ff837f279366b8f8b36dca6d20027b3b5cbbfb2a
latvia-cabinet LVA 5f141542ec29a0fa0dc91c29ee2b3d695b7d1e45
lesotho-ministers LSO 2bf90c00c69fcab9495ba32ea035a91c85decea9
liberia-ministers LBR 51d0030249649de5a8b1ca9e0f7be25a4402e3c9
libya LBY a1e875f47b78a8e3843b5e5a086dda8b963d2162
liechtenstein-ministers LIE e95c566cc81a5e5ba113435efbe3697832d91a62
lithuania LTU 2743892fbc8f4eca6fc0b2ead37936dc8d5229d9
luxembourg-cabinet LUX 7b920a2e507deea1887539f7ebb4fea0db43e7da
malawi-ministers MWI 34b3699bdd5c240cb4c228b361cdf5192a14d993
malaysia-ministers MYS bab25025f0c68e7c1c623e0ee7e4888032550e16
maldives-ministers MDV 8de4a9140f5ab0f57ed4a40f467975039d615001
mali MLI 51a106117cbe612421662097460eeedbf7767aa2
malta-ministers MLT 4cba0680d5436b0befc248615f230087fbd45be4
marshall-islands-ministers MHL 9cc730d5cc128a5c2e96b3139406c40a033d506d
mauritania MRT d3f467cdef94a4ec1525fbbb0444977df7af0ecc
mauritius-ministers MUS 78b132eb7142c1b648515064a5c011e7d1519b04
mexico-ministers MEX 87f5ae7dc992a800173a7c9de53ccbe25661dc61
micronesia-ministers FSM 766d9db7fcf2c7ce7bcfcd30dd24af87fd45075d
moldova-ministers MDA 8f20086e5f2cc7b6019a841225e3c9e323c8d19d
mongolia-ministers MNG 08e9b68cedfb11a78520087efd6146f4eac0a239
montenegro-cabinet MNE 8ba0dd381b8c18ead1b8772c5bfddf9b6d83b246
morocco-ministers MAR b5246271b46859298b816869fd8c3ae7f658afd8
mozambique MOZ 4800218ca8ce02cb4d1bb3a665189fc245e27d99
myanmar-ministers MMR 473d687f0dcb621d8c313ef32923d73094de21a5
nepal-ministers NPL 14d843634275aae72439958fd190e33ad048df17
netherlands-cabinet NLD a542323a663b1a7232e6f8e4843eda1f019a8705
new-zealand-cabinet NZL dbf5f248a1d55fc1a111112bc904c8e7e8e26950
niger-ministers NER 3b495ae4c954686d0cbbab4cc21063ded6ec4b6f
nigeria NGA 1f5d4aad9ba42a810e353d0d7b4378fedc4429e6
north-korea PRK 7fd4f86187b511ff8bd0b95f1fcd1c5a21e881b5
north-macedonia-ministers MKD 6f680e0dc4d625b98a0f03138ae8a8ff5b31635d
norway-cabinet NOR c0bc52971dac1a8734320e298a714903adae5b83
oman OMN c736fb96b1acbd3f0c652b278222e43118015cdb
pakistan-ministers PAK 065accdb5d8d693e89c0bc559862c10f66d443d1
panama-ministers PAN bdb92ef0f302b92faa9fa0dedeab11cbbef25366
papua-new-guinea PNG f81c26e33168f6e134c4d01d44d6110649f7baa7
paraguay-ministers PRY 6bab5f74f6092aa4fde9a51e0453501ddfdd56c9
philippines-ministers PHL 1f396f9a8c2e3397cfe392fca350c8943aa1d5f5
poland-cabinet POL c6b228df3eed6e9ba89f02bf424f870a66ea47a6
portugal-cabinet PRT 49dd0287a8d715a217ba067c04d574b2632864af
romania-cabinet ROU 63e9c5d352fa9a477e708ecc2ac4523af9534cfe
russia-cabinet RUS 3871831d9846a16c5017acc229e003ab706202ab
rwanda-ministers RWA aa6c19c3d4087e54df8d38f6b245da15f7f0922f
san-marino-ministers SMR b4a1cee85a5aad4fe31ac94e6a48a95fe47cc2b9
sao-tome-and-principe STP 1be2c84a3d3ec408c4a9614729985013f0bf1ee9
saudi-ministers SAU 566c58806bee4d91167f3dcbd19abbb596e65497
senegal-ministers SEN 780217b3c6b59c29a8e18d88727f9200fb1a4953
serbia-ministers SRB a4a525577243b1a2ebc9c98de0801347aba26e52
sierra-leone SLE 2c5d76f88b39b83183111d2d510f5499fe960e06
singapore-ministers SGP 7c68317a86e9ab14712685cc12d6e2afc028d410
slovakia-cabinet SVK db4bf5310f557452cd6140a61739d4103c35debf
slovenia-cabinet SVN 7a1dca9809cba7fb945c7a21154edf494d043879
solomons-ministers SLB d685f954660dea55af6f1684c5a58c64e6c1d38f
somalia-cabinet SOM 7b5980d7c4b80241f31b9ceb82b601906656559b
south-africa-cabinet ZAF 0558a872c69856bba752bd3b8b3604e4e4479252
south-korea-ministers KOR 6f17960017c672790f0997885e5b2ff5937305de
south-sudan SSD 46f2f4f9e468465ced7e5bce689b7d8e0c43be32
spain-ministers ESP 1e1550ca85af4c39b71e6a462fead133849fe078
sri-lanka-cabinet LKA a90dbcf77133b1b9dcb94abe2c51b7ba2d9c5bee
st-kitts-and-nevis-cabinet KNA 908113dbe6f8771545f220b6dcf877dbbebbf703
st-lucia-cabinet LCA 4674a06432a542602e821ed3710305b9e9bb6171
st-vincent-and-the-grenadines VCT 700b40a315ba3b9f690b31e02ff64dd0bb001188
sudan SDN bd56d436414d49f53c21baf0601962478a431ac2
suriname SUR 05e451815acda25d94b89ca21d8551622cf18f4f
sweden-cabinet SWE 6756a7c9de57d94b64628365d3715a344c3ad9a7
swiss-federal-council CHE 7cb72efe7f83e593d6be64fa649c993c5042e49c
syria SYR 08fddba7b3f3beef8ac10a7201ef1ff1cc7318af
taiwan TWN 45c981ac5a15e4bdacfda83f77a64d275156ca4b
tajikistan-ministers TJK 3039beb43712fe80824177ea9798079233aa257f
tanzania-ministers TZA 08687f4096fe6f1952764a24a09134ab45d370c8
timor-leste-ministers TLS 2162a08a38e6ff19aae0b7da19aa198eb53a95e4
togo TGO c6cc8fe9413c84f10719c5627cb750fcd4e08e4b
tonga-ministers TON b5f2233476ebce193698e269c85dd792b362d726
trinidad-and-tobago-cabinet TTO 27745264ebbf3de066b1325dd1338dd54600a601
tunisia-ministers TUN 6e35fc4e7f3d8c1f0bbb453d3b522177a7820dfe
turkey-ministers TUR 288fbd45ee3fa59f8a226437bf43d726c9845f4f
turkmenistan TKM db857efe4e49f9efb787394ca3065f3d8a462f8f
tuvalu-ministers TUV c069c26fd0c45f3587c17f7bc69ccd81d88f9e4b
uae-ministers ARE 9478e53b0ada6f31a1877fddb499f33207efa368
uganda-ministers UGA ed6c7e0721c8c38e177b8c9b6fdb308b2b26ce95
ukraine-cabinet UKR 4fc6ab0f4d90d6170b674172a115f1bc98478e4b
united-kingdom-cabinet GBR 3a5ec686630cbefc0fe4b96da38a2a50b52d2556
uruguay-ministers URY 38b3bd143359d2f70e9454b431803fbbddc09931
us-cabinet USA 0d5e73cb24ba9f78bc36f6cd0fbe9839e6cd8600
uzbekistan-ministers UZB b7cd8a1eaca2bb365d5ade7bdc9870d1ed31bde9
vanuatu-cabinet VUT f21a251001fb6a2129876fb2a2f867772c59aefd
venezuela VEN 468bc47dfe82a6912833f85ccb15888baa132a6c
vietnam VNM 906e493fe5ae307bf6184baa4fa9e48d75f9866d
yemen YEM 993e1a6176b9082c7053cd67ff59dc52ee71f71b
zambia-ministers ZMB e5aaa198749da6ee572efc2522908a2e697ad463
zimbabwe ZWE f991ac9839ca9297ec838f7420994fbb1c854c00
"""
EP_REPOS = {}
for _line in _EP_TABLE.strip().splitlines():
    _repo, _iso, _commit = _line.split()
    EP_REPOS[_repo] = (_iso, _commit)

# Country labels used in every-politician-scrapers/world sources/foreign/wikidata.csv
FOREIGN_COUNTRY = {
    'Afghanistan': 'AFG',
    'Albania': 'ALB',
    'Algeria': 'DZA',
    'Andorra': 'AND',
    'Angola': 'AGO',
    'Antigua and Barbuda': 'ATG',
    'Argentina': 'ARG',
    'Armenia': 'ARM',
    'Australia': 'AUS',
    'Austria': 'AUT',
    'Azerbaijan': 'AZE',
    'Bahamas': 'BHS',
    'Bahrain': 'BHR',
    'Bangladesh': 'BGD',
    'Barbados': 'BRB',
    'Belgium': 'BEL',
    'Belize': 'BLZ',
    'Benin': 'BEN',
    'Bhutan': 'BTN',
    'Bolivia': 'BOL',
    'Bosnia and Herzegovina': 'BIH',
    'Botswana': 'BWA',
    'Brazil': 'BRA',
    'Brunei': 'BRN',
    'Bulgaria': 'BGR',
    'Burkina Faso': 'BFA',
    'Burundi': 'BDI',
    'Cambodia': 'KHM',
    'Cameroon': 'CMR',
    'Canada': 'CAN',
    'Cape Verde': 'CPV',
    'Central African Republic': 'CAF',
    'Chad': 'TCD',
    'Chile': 'CHL',
    'Colombia': 'COL',
    'Comoros': 'COM',
    'Costa Rica': 'CRI',
    'Croatia': 'HRV',
    'Cuba': 'CUB',
    'Cyprus': 'CYP',
    'Czech Republic': 'CZE',
    'Democratic Republic of the Congo': 'COD',
    'Denmark': 'DNK',
    'Djibouti': 'DJI',
    'Dominica': 'DMA',
    'Dominican Republic': 'DOM',
    'East Timor': 'TLS',
    'Ecuador': 'ECU',
    'Egypt': 'EGY',
    'El Salvador': 'SLV',
    'Equatorial Guinea': 'GNQ',
    'Eritrea': 'ERI',
    'Estonia': 'EST',
    'Eswatini': 'SWZ',
    'Ethiopia': 'ETH',
    'Federated States of Micronesia': 'FSM',
    'Fiji': 'FJI',
    'Finland': 'FIN',
    'France': 'FRA',
    'Gabon': 'GAB',
    'Georgia': 'GEO',
    'Germany': 'DEU',
    'Ghana': 'GHA',
    'Greece': 'GRC',
    'Grenada': 'GRD',
    'Guatemala': 'GTM',
    'Guinea': 'GIN',
    'Guinea-Bissau': 'GNB',
    'Guyana': 'GUY',
    'Haiti': 'HTI',
    'Holy See': 'VAT',
    'Honduras': 'HND',
    'Hungary': 'HUN',
    'Iceland': 'ISL',
    'India': 'IND',
    'Indonesia': 'IDN',
    'Iran': 'IRN',
    'Iraq': 'IRQ',
    'Israel': 'ISR',
    'Italy': 'ITA',
    'Ivory Coast': 'CIV',
    'Jamaica': 'JAM',
    'Japan': 'JPN',
    'Jordan': 'JOR',
    'Kazakhstan': 'KAZ',
    'Kenya': 'KEN',
    'Kosovo': 'XKX',
    'Kuwait': 'KWT',
    'Kyrgyzstan': 'KGZ',
    'Laos': 'LAO',
    'Latvia': 'LVA',
    'Lebanon': 'LBN',
    'Lesotho': 'LSO',
    'Liberia': 'LBR',
    'Libya': 'LBY',
    'Liechtenstein': 'LIE',
    'Lithuania': 'LTU',
    'Luxembourg': 'LUX',
    'Madagascar': 'MDG',
    'Malawi': 'MWI',
    'Malaysia': 'MYS',
    'Maldives': 'MDV',
    'Mali': 'MLI',
    'Malta': 'MLT',
    'Marshall Islands': 'MHL',
    'Mauritania': 'MRT',
    'Mauritius': 'MUS',
    'Mexico': 'MEX',
    'Moldova': 'MDA',
    'Monaco': 'MCO',
    'Mongolia': 'MNG',
    'Morocco': 'MAR',
    'Mozambique': 'MOZ',
    'Myanmar': 'MMR',
    'Namibia': 'NAM',
    'Nepal': 'NPL',
    'Netherlands': 'NLD',
    'New Zealand': 'NZL',
    'Nicaragua': 'NIC',
    'Niger': 'NER',
    'Nigeria': 'NGA',
    'North Korea': 'PRK',
    'North Macedonia': 'MKD',
    'Norway': 'NOR',
    'Oman': 'OMN',
    'Pakistan': 'PAK',
    'Palau': 'PLW',
    'Panama': 'PAN',
    'Papua New Guinea': 'PNG',
    'Paraguay': 'PRY',
    "People's Republic of China": 'CHN',
    'Peru': 'PER',
    'Philippines': 'PHL',
    'Poland': 'POL',
    'Portugal': 'PRT',
    'Qatar': 'QAT',
    'Republic of Ireland': 'IRL',
    'Republic of the Congo': 'COG',
    'Romania': 'ROU',
    'Russia': 'RUS',
    'Rwanda': 'RWA',
    'Saint Kitts and Nevis': 'KNA',
    'Saint Lucia': 'LCA',
    'Saint Vincent and the Grenadines': 'VCT',
    'San Marino': 'SMR',
    'Saudi Arabia': 'SAU',
    'Senegal': 'SEN',
    'Serbia': 'SRB',
    'Seychelles': 'SYC',
    'Sierra Leone': 'SLE',
    'Singapore': 'SGP',
    'Slovakia': 'SVK',
    'Slovenia': 'SVN',
    'Solomon Islands': 'SLB',
    'Somalia': 'SOM',
    'South Africa': 'ZAF',
    'South Korea': 'KOR',
    'South Sudan': 'SSD',
    'Spain': 'ESP',
    'Sri Lanka': 'LKA',
    'State of Palestine': 'PSE',
    'Sudan': 'SDN',
    'Suriname': 'SUR',
    'Sweden': 'SWE',
    'Syria': 'SYR',
    'São Tomé and Príncipe': 'STP',
    'Taiwan': 'TWN',
    'Tajikistan': 'TJK',
    'Tanzania': 'TZA',
    'Thailand': 'THA',
    'The Gambia': 'GMB',
    'Togo': 'TGO',
    'Tonga': 'TON',
    'Trinidad and Tobago': 'TTO',
    'Tunisia': 'TUN',
    'Turkey': 'TUR',
    'Turkmenistan': 'TKM',
    'Tuvalu': 'TUV',
    'Uganda': 'UGA',
    'Ukraine': 'UKR',
    'United Arab Emirates': 'ARE',
    'United Kingdom': 'GBR',
    'United States of America': 'USA',
    'Uruguay': 'URY',
    'Uzbekistan': 'UZB',
    'Vanuatu': 'VUT',
    'Venezuela': 'VEN',
    'Vietnam': 'VNM',
    'Yemen': 'YEM',
    'Zambia': 'ZMB',
    'Zimbabwe': 'ZWE',
}

# Position labels (lower case) that denote the foreign minister.
FM_RE = re.compile(
    r"^(federal |cabinet |united states )?(minister|secretary) (of|for) "
    r"(foreign|external|europe and foreign|foreign and european|european and international|"
    r"foreign, commonwealth|international relations)"
    r"|^secretary of state for foreign"
    r"|^(united states )?secretary of state$"
    r"|^minister (for|with responsibility for) external affairs"
    r"|^secretary for foreign and political affairs"
    r"|^second deputy prime minister and minister of foreign affairs"
)
FM_EXCLUDE_RE = re.compile(r"deputy minister|vice|assistant|under|state secretary|minister of state|"
                           r"minister delegate|minister-delegate|delegate|spokes|intelligence|trade and|"
                           r"foreign trade|secretary of state for foreign affairs$", re.I)
# Labels that match the pattern but, in that repository, hold other offices.
FM_REPO_EXCLUDE = {
    # holds the Foreign Secretaries (senior civil servants), not ministers
    ("india-ministers", "Minister of Foreign Affairs"),
    # "Secretary of State" is the foreign minister only in the USA
}
SECRETARY_OF_STATE_OK = {"us-cabinet"}


def is_foreign_minister(repo: str, label: str) -> bool:
    lab = label.strip()
    low = lab.lower()
    if (repo, lab) in FM_REPO_EXCLUDE:
        return False
    if low in ("secretary of state", "united states secretary of state") and repo not in SECRETARY_OF_STATE_OK:
        return False
    if not FM_RE.search(low):
        return False
    if low.startswith("second deputy prime minister and minister of foreign affairs"):
        return True
    if FM_EXCLUDE_RE.search(low) and not low.startswith("secretary of state for foreign"):
        return False
    return True


SPECIAL = {"ı": "i", "İ": "I", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D",
           "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th",
           "ð": "d", "Ð": "D", "ħ": "h", "Ħ": "H", "ŧ": "t", "ŋ": "ng",
           "‘": "'", "’": "'", "ʻ": "'", "ʼ": "'", "`": "'", "´": "'", "–": "-", "—": "-"}


def fold(name: str) -> str | None:
    s = "".join(SPECIAL.get(ch, ch) for ch in name.strip())
    s = unicodedata.normalize("NFKD", s)
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"\s+", " ", s).strip()
    if not s or re.fullmatch(r"Q\d+", s):
        return None
    if any(ord(ch) > 127 for ch in s):
        return None  # not Latin script (or an unhandled letter): leave out
    if not re.search(r"[A-Za-z]", s):
        return None
    return s


DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


def parse_date(value: str, is_end: bool) -> date | None:
    """Parse a full or partial date; partial dates widen to the whole period."""
    value = (value or "").strip()
    m = DATE_RE.match(value)
    if not m:
        return None
    y = int(m.group(1))
    mo = int(m.group(2)) if m.group(2) else None
    d = int(m.group(3)) if m.group(3) else None
    # Wikidata stores year/month precision as -01-01 / -01 in some exports: keep as given.
    if mo in (None, 0):
        return date(y, 12, 31) if is_end else date(y, 1, 1)
    if d in (None, 0):
        return date(y, mo, calendar.monthrange(y, mo)[1]) if is_end else date(y, mo, 1)
    try:
        return date(y, mo, d)
    except ValueError:
        return None


def in_window(start: date, end: date | None) -> bool:
    return start <= WINDOW_END and (end is None or end >= WINDOW_START)


def english_names(ep_dir: Path, wl2021: Path | None) -> dict[str, str]:
    """Wikidata QID -> English label, from the EveryPolitician extracts."""
    names: dict[str, str] = {}
    if wl2021 is not None:
        with wl2021.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if r.get("officeholder") and r.get("officeholderLabel"):
                    names[r["officeholder"]] = r["officeholderLabel"]
    for repo in sorted(EP_REPOS):
        f = ep_dir / f"{repo}.csv"
        if f.exists():
            with f.open(encoding="utf-8", newline="") as fh:
                for r in csv.DictReader(fh):
                    if r.get("personID") and r.get("person"):
                        names[r["personID"]] = r["person"]
    return names


def read_leaders(path: Path, names: dict[str, str]) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            iso = (r.get("iso3") or "").strip().upper()
            office = (r.get("role") or "").strip()
            if iso not in TARGET or office not in ("head_of_state", "head_of_government"):
                continue
            start = parse_date(r.get("start", ""), False)
            raw_end = (r.get("end") or "").strip()
            end = parse_date(raw_end, True) if raw_end else None
            if start is None or (raw_end and end is None):
                continue  # unknown start, or an end that is "unknown value"
            if start.year < 1900:
                continue  # implausible statement (e.g. a fictional item)
            qid = (r.get("person_qid") or "").strip()
            # The extract's labels are partly in Portuguese; prefer the English
            # label of the same Wikidata item where an EveryPolitician file has it.
            name = fold(names.get(qid) or r.get("person", ""))
            if not name:
                continue
            rows.append(dict(key=r.get("person_qid") or name, name=name, country=iso, office=office,
                             start=start, end=end, source="wikidata"))
    return rows


def read_ep(ep_dir: Path) -> list[dict]:
    rows = []
    for repo, (iso, _commit) in sorted(EP_REPOS.items()):
        f = ep_dir / f"{repo}.csv"
        if not f.exists():
            print(f"warning: {f} missing", file=sys.stderr)
            continue
        with f.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                if not is_foreign_minister(repo, r.get("position", "")):
                    continue
                start = parse_date(r.get("start", ""), False)
                raw_end = (r.get("end") or "").strip()
                end = parse_date(raw_end, True) if raw_end else None
                if start is None or (raw_end and end is None):
                    continue
                name = fold(r.get("person", ""))
                if not name:
                    continue
                rows.append(dict(key=r.get("personID") or name, name=name, country=iso,
                                 office="foreign_minister", start=start, end=end,
                                 source="everypolitician"))
    return rows


def read_foreign(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            iso = FOREIGN_COUNTRY.get((r.get("countryLabel") or "").strip())
            if iso not in TARGET:
                continue
            label = (r.get("positionLabel") or "").lower()
            # positions are subclasses of "minister of foreign affairs" (Q7330070) by
            # construction of the query; Palau's "Minister of State" and the Holy See's
            # "Secretary for Relations with States" are those countries' foreign ministers.
            if re.search(r"deputy|vice", label):
                continue
            start = parse_date(r.get("start", ""), False)
            name = fold(r.get("name", ""))
            if start is None or not name:
                continue
            rows.append(dict(key=r.get("person") or name, name=name, country=iso,
                             office="foreign_minister", start=start, end=None,
                             source="everypolitician"))
    return rows


def merge(rows: list[dict]) -> list[dict]:
    """Merge overlapping or touching spells of the same person, country and office."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        groups.setdefault((r["key"], r["country"], r["office"]), []).append(r)
    out = []
    for spells in groups.values():
        spells.sort(key=lambda r: r["start"])
        cur = None
        for r in spells:
            if cur is None:
                cur = dict(r)
                continue
            cur_end = cur["end"]
            if cur_end is None or r["start"] <= cur_end or (r["start"] - cur_end).days <= 1:
                if cur_end is not None and (r["end"] is None or r["end"] > cur_end):
                    cur["end"] = r["end"]
            else:
                out.append(cur)
                cur = dict(r)
        if cur is not None:
            out.append(cur)
    return out


SOURCE = (
    'Heads of state and of government (source key "wikidata"): data/leaders_history.csv of https://github.com/cfmessias/geografia (commit 2e1e3b9cf6bff86186ae26376a2deafdbd9c67e3, 2025-10-03), an extract of Wikidata head-of-state and head-of-government statements made by its scripts/fetch_leaders.py; coverage ends about 2025-10-03. Its person labels are partly Portuguese, so English labels of the same Wikidata items were taken from the EveryPolitician files below and from data/wikidata.csv of https://github.com/every-politician-scrapers/world-leaders-2021 (commit be7039cf5952d8121c4f1e24eea64cc5dd465633). Foreign ministers (source key "everypolitician"): html/holders21.csv of 180 per-country repositories of https://github.com/every-politician-scrapers (Wikidata extracts; snapshots of 2022-07 to 2023-01, each repository and commit listed in officials_build.py) and sources/foreign/wikidata.csv of https://github.com/every-politician-scrapers/world (commit 4a3b394d9a35d26d138cded8718d0805b7ce9336, file as of 2022-12-11); foreign-minister coverage ends 2022-12-11, so an empty end means in office at that date. Dates given to the year or month only are widened to the whole period; overlapping statements for the same person and office are merged; spells overlapping 2000-01-01..2026-12-31 only; 193 UN members plus XKX, PSE, TWN, VAT.'
)
LICENCE = 'Source facts are from Wikidata, CC0-1.0 (https://creativecommons.org/publicdomain/zero/1.0/); the extract repositories named above carry no licence file of their own. This compilation: CC0-1.0.'
CITATION = 'Wikidata contributors (2022-2025). Wikidata, https://www.wikidata.org, position-held (P39) statements for the offices of head of state and government (P1906, P1313) and of foreign minister, with head-of-state (P35) and head-of-government (P6) statements as fallback, as extracted by cfmessias/geografia, https://github.com/cfmessias/geografia (2025), and by EveryPolitician (WikiProject every politician), https://github.com/every-politician-scrapers (2022-2023).'

HEADER = [
    "# version: " + VERSION,
    "# source: " + SOURCE,
    "# licence: " + LICENCE,
    "# citation: " + CITATION,
    "#",
]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--leaders", type=Path, required=True)
    ap.add_argument("--ep-dir", type=Path, required=True)
    ap.add_argument("--foreign", type=Path, required=True)
    ap.add_argument("--wl2021", type=Path, default=None,
                    help="data/wikidata.csv of every-politician-scrapers/world-leaders-2021 (English labels)")
    ap.add_argument("--out", type=Path, default=Path(__file__).with_name("officials.csv"))
    a = ap.parse_args(argv)

    names = english_names(a.ep_dir, a.wl2021)
    rows = read_leaders(a.leaders, names) + read_ep(a.ep_dir) + read_foreign(a.foreign)
    rows = [r for r in merge(rows) if in_window(r["start"], r["end"])]
    rows = [r for r in rows if r["end"] is None or r["start"] <= r["end"]]
    seen, final = set(), []
    for r in sorted(rows, key=lambda r: (r["country"], r["office"], r["start"], r["name"])):
        t = (r["name"], r["country"], r["office"], r["start"].isoformat(),
             r["end"].isoformat() if r["end"] else "")
        if t in seen:
            continue
        seen.add(t)
        final.append((*t, r["source"]))
    with a.out.open("w", encoding="utf-8", newline="") as fh:
        for line in HEADER:
            fh.write(line + "\n")
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["name", "country", "office", "start", "end", "source"])
        w.writerows(final)
    print(f"wrote {len(final)} rows to {a.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
