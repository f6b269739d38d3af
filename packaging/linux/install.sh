#!/bin/sh
# Per-user install: the program under ~/.local/opt, a launcher in ~/.local/bin, a menu
# entry and an icon. Patient data is never here: it lives in ~/.local/share/Glabella and
# is kept when the program is removed or upgraded.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
opt="$HOME/.local/opt/glabella"
rm -rf "$opt.new"
mkdir -p "$HOME/.local/opt" "$HOME/.local/bin" "$prefix/applications" "$prefix/icons/hicolor/256x256/apps"
cp -R "$here/glabella" "$opt.new"
rm -rf "$opt"
mv "$opt.new" "$opt"
ln -sf "$opt/glabella" "$HOME/.local/bin/glabella"
sed "s|^Exec=.*|Exec=$opt/glabella|" "$here/glabella.desktop" > "$prefix/applications/glabella.desktop"
cp "$here/glabella.png" "$prefix/icons/hicolor/256x256/apps/glabella.png"
echo "Glabella installed in $opt. Start it from the menu or run: glabella"
echo "Check it with: glabella selftest"
