#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>
#include <QWidget>

#include "config/appconfig.h"

class QCheckBox;
class QLabel;
class QPushButton;
class QTabWidget;
class SecretStore;
class SavedSettings;
struct SettingSpec;

// The settings page, generated from the typed settings table (SettingsTable): one tab per group
// (Feishu, Assistant, Sessions, Interface, Logging), one field per key. Every field validates as
// you type (SettingsTable::check) and shows its default and where its value comes from (command
// line, environment, .env, saved, default). Secrets are edited here but stored by SecretStore;
// "Start at login" writes or removes the XDG autostart entry. Apply saves and emits applied() with
// the new values (the application reconfigures the bot live). Export and import use the .env
// format, never with secrets.
//
// Hook-up: page->setEffective(config.values, config.sources, config.dataDir);
//          connect(page, &SettingsPage::applied, app, &App::reconfigure);
class SettingsPage final : public QWidget
{
    Q_OBJECT
public:
    SettingsPage(SavedSettings *settings, SecretStore *secrets, QWidget *parent = nullptr);
    ~SettingsPage() override;
    Q_DISABLE_COPY_MOVE(SettingsPage)

    // What is in force now and where each value came from (after AppConfig::resolve).
    void setEffective(const QHash<QString, QString> &values, const QHash<QString, AppConfig::Source> &sources,
                      const QString &dataDir = {});

    QString text(const QString &key) const; // the field's current text ("true"/"false" for checks)
    void setText(const QString &key, const QString &text); // as if typed
    QString problem(const QString &key) const;             // the validation message ("" = valid)
    QString sourceText(const QString &key) const;          // the "Default … · From …" line
    bool isModified() const;

    // Validates every field, saves the changed ones, and emits applied(). False (with the first
    // problem focused) when a field is invalid; nothing is saved then.
    bool apply();
    bool exportSettings(const QString &path, QString *error);
    // Fills the fields from a .env (secrets skipped); Apply saves them.
    bool importSettings(const QString &path, QString *error);

signals:
    // Every key whose value changed, with its new value (secrets included, in memory only).
    void applied(const QHash<QString, QString> &changed);
    void wizardRequested();

private:
    struct Row;
    void buildRow(const SettingSpec &spec, QWidget *tab);
    void validate(Row &row);
    void updateSourceLine(Row &row);
    void updateSecurityBanner();
    void onSecretRead(const QString &key, const QString &value);
    void exportClicked();
    void importClicked();
    Row *rowOf(const QString &key);
    const Row *rowOf(const QString &key) const;
    static QString sourceName(AppConfig::Source source);

    SavedSettings *m_settings = nullptr;
    SecretStore *m_secrets = nullptr;
    QTabWidget *m_tabs = nullptr;
    QLabel *m_securityBanner = nullptr;
    QLabel *m_status = nullptr;
    QCheckBox *m_startAtLogin = nullptr;
    QPushButton *m_apply = nullptr;
    QList<Row *> m_rows;
    QHash<QString, QString> m_effective;
    QHash<QString, AppConfig::Source> m_sources;
    QString m_dataDir;
};
