#!/bin/sh
# Remakes the README's screenshots from the app itself (run from the repository's root).
set -e
cargo build --release -q
v=./target/release/vaultscope
$v snapshot --svg --size 200x50 --keys '/vpcsm<Enter>' > screenshots/main-200x50.svg
$v snapshot --svg --size 120x36 --keys '/보안' > screenshots/search-korean-120x36.svg
$v snapshot --svg --size 200x50 --keys '4jjjj<Space><Enter>j' > screenshots/tag-filter-200x50.svg
$v snapshot --svg --size 100x32 --keys '?' > screenshots/help-100x32.svg
$v snapshot --svg --size 80x24 > screenshots/start-80x24.svg
$v snapshot --svg --size 120x24 --keys '/vpcsm<Enter>3zjl' > screenshots/diagram-120x24.svg
$v snapshot --svg --size 160x36 --keys '/studio<Enter>3z' > screenshots/diagram-groups-160x36.svg
f=tests/fixtures/study-forms
$v --vault $f --title-from heading snapshot --svg --size 120x36 --keys '/S3 내구성<Enter>aa' > screenshots/study-choose-two-120x36.svg
$v --vault $f --title-from heading snapshot --svg --size 120x36 --keys '/IAM 복습<Enter>' > screenshots/quiz-fence-120x36.svg
$v --vault tests/fixtures/inline-diagrams snapshot --svg --size 120x36 --keys '2' > screenshots/inline-diagram-120x36.svg
$v snapshot --svg --size 120x36 --keys '/<Tab>privatelink' > screenshots/search-text-120x36.svg
$v snapshot --svg --size 120x36 --keys '/ㅂㅇㄱㄹ' > screenshots/search-chosung-120x36.svg
$v snapshot --svg --size 160x40 --keys '/vpcsm<Enter>Mfprivatelink<Enter><Enter>' > screenshots/map-focus-160x40.svg
$v --vault tests/fixtures/code-images snapshot --svg --size 120x36 --keys '/python<Enter>2z' > screenshots/highlight-python-120x36.svg
