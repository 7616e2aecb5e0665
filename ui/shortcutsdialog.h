#pragma once

#include <QDialog>
#include <QKeySequence>
#include <QList>

// The keyboard cheat sheet (Ctrl+/ and F1): every shortcut of the console with what it does.
class ShortcutsDialog final : public QDialog
{
    Q_OBJECT
public:
    struct Entry
    {
        QString what;
        QKeySequence keys;
    };
    explicit ShortcutsDialog(const QList<Entry> &entries, QWidget *parent = nullptr);
    ~ShortcutsDialog() override = default;
    Q_DISABLE_COPY_MOVE(ShortcutsDialog)
};
