#!/usr/bin/env bash
# Fails on an #include that points in a forbidden direction (architecture.md, "Layers"):
#   - core never includes ui/ or app/, nor Qt Gui or Widgets;
#   - inside core, each folder includes only the folders below it (the table ALLOWED below);
#     nothing in core includes the sandbox except the sandbox itself;
#   - ui never includes core/storage, core/bot, the Feishu long connection, the sandbox or a
#     private *_p.h header of core; app never includes a private *_p.h header of core.
# Usage: check-includes.sh [SOURCE_DIR]     (default: the repository this script is in)
#        check-includes.sh --self-test      (shows that each rule catches a violation)
set -u

# core folder -> the core folders it may include (besides itself and core/logging_p.h).
declare -A ALLOWED=(
    [logging]=""
    [net]="logging"
    [config]="logging net"
    [storage]="logging config"
    [feishu]="logging net config"
    [knowledge]="logging net config storage"
    [assistant]="logging net config storage knowledge"
    [chat]="logging net config storage knowledge assistant feishu"
    [tickets]="logging net config storage knowledge assistant feishu chat"
    [desk]="logging net config storage knowledge assistant feishu chat tickets"
    [bot]="logging net config storage knowledge assistant feishu chat tickets desk"
    [sandbox]="logging net config feishu"
)
GUI_RE='^(QtGui|QtWidgets|QtQuick|QtQml)/|^Q(Gui)?Application$|^Q(Widget|MainWindow|Dialog|Icon|Pixmap|Image|Color|Font|Painter|Palette|Action|Menu|SystemTrayIcon|Window|Screen|Clipboard|Desktop[A-Za-z]*|StandardItemModel)$'

check_tree() {
    local root=$1 status=0 line file inc kind folder target
    report() {
        echo "forbidden include: $1: $2"
        status=1
    }
    # core
    while IFS= read -r file; do
        folder=${file#"$root"/core/}
        folder=${folder%%/*}
        [[ $folder == *.* ]] && folder="" # a file directly in core/
        while IFS= read -r line; do
            if [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*([<\"])([^>\"]+) ]]; then
                kind=${BASH_REMATCH[1]}
                inc=${BASH_REMATCH[2]}
            else
                continue
            fi
            if [[ $kind == "<" ]]; then
                [[ $inc =~ $GUI_RE ]] && report "${file#"$root"/}" "<$inc> (core never uses Gui or Widgets)"
                continue
            fi
            if [[ $inc == ui/* || $inc == app/* ]]; then
                report "${file#"$root"/}" "\"$inc\" (core never includes ui/ or app/)"
                continue
            fi
            if [[ $inc != */* ]]; then
                if [[ ! -e $(dirname "$file")/$inc && ! -e $root/core/$inc ]] \
                    && [[ -e $root/ui/$inc || -e $root/app/$inc ]]; then
                    report "${file#"$root"/}" "\"$inc\" (a ui/ or app/ header)"
                fi
                continue
            fi
            target=${inc%%/*}
            [[ -z $folder || $target == "$folder" || -z ${ALLOWED[$target]+x} ]] && continue
            if [[ -z ${ALLOWED[$folder]+x} ]]; then
                report "${file#"$root"/}" "core/$folder is not in the layering table of tests/layering/check-includes.sh"
                continue
            fi
            [[ " ${ALLOWED[$folder]} " == *" $target "* ]] \
                || report "${file#"$root"/}" "\"$inc\" (core/$folder may include only: ${ALLOWED[$folder]:-nothing})"
        done <"$file"
    done < <(find "$root/core" -type f \( -name '*.h' -o -name '*.cpp' \) | sort)

    # ui and app
    local area
    for area in ui app; do
        [[ -d $root/$area ]] || continue
        while IFS= read -r file; do
            while IFS= read -r line; do
                [[ $line =~ ^[[:space:]]*#[[:space:]]*include[[:space:]]*\"([^\"]+)\" ]] || continue
                inc=${BASH_REMATCH[1]}
                if [[ $inc == *_p.h && ! -e $(dirname "$file")/$inc ]]; then
                    report "${file#"$root"/}" "\"$inc\" (a private header of core)"
                elif [[ $area == ui ]]; then
                    case $inc in
                    storage/* | bot/* | sandbox/* | feishu/longconnection.h)
                        report "${file#"$root"/}" "\"$inc\" (ui reaches core only through the operator API, the health snapshot and LogBus)"
                        ;;
                    esac
                fi
            done <"$file"
        done < <(find "$root/$area" -type f \( -name '*.h' -o -name '*.cpp' \) | sort)
    done
    return $status
}

self_test() {
    local tmp rc=0
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' RETURN
    mkdir -p "$tmp"/core/{logging,net,feishu,chat,storage} "$tmp"/ui "$tmp"/app
    printf '#include "net/a.h"\n#include <QString>\n' >"$tmp/core/feishu/ok.cpp"
    printf '#include "chat/b.h"\n#include <QUrl>\n' >"$tmp/core/chat/ok.cpp"
    printf '#include "desk/operatordesk.h"\n' >"$tmp/ui/ok.cpp"
    if ! check_tree "$tmp" >/dev/null; then
        echo "self-test: a clean tree was rejected"
        rc=1
    fi
    local -a cases=(
        'core/feishu/x.cpp|#include "chat/replytransport.h"'
        'core/storage/x.cpp|#include "feishu/frame.h"'
        'core/net/x.cpp|#include <QWidget>'
        'core/chat/x.cpp|#include <QtGui/QImage>'
        'core/chat/x.cpp|#include "ui/mainwindow.h"'
        'core/chat/x.cpp|#include "sandbox/feishusandbox.h"'
        'ui/x.cpp|#include "storage/database.h"'
        'ui/x.cpp|#include "feishu/longconnection.h"'
        'ui/x.cpp|#include "logging_p.h"'
        'app/x.cpp|#include "logging_p.h"'
    )
    local c path text out
    for c in "${cases[@]}"; do
        path=${c%%|*}
        text=${c#*|}
        printf '%s\n' "$text" >"$tmp/$path"
        if out=$(check_tree "$tmp"); then
            echo "self-test: not caught: $path: $text"
            rc=1
        elif [[ $out != *"$path"* ]]; then
            echo "self-test: wrong report for $path: $out"
            rc=1
        fi
        rm "$tmp/$path"
    done
    [[ $rc == 0 ]] && echo "self-test: every rule catches its violation"
    return $rc
}

if [[ ${1:-} == --self-test ]]; then
    self_test
    exit $?
fi
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
if check_tree "$root"; then
    echo "includes: every direction allowed"
    exit 0
fi
exit 1
