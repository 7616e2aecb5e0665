#pragma once

#include <QHash>
#include <QList>
#include <QMainWindow>

#include "shortcutsdialog.h"

class QAction;
class QListWidget;
class QSettings;
class QStackedWidget;
class StatusPanel;

// The console's frame: a narrow navigation sidebar, the pages, an always-visible status bar and
// the window-wide shortcuts. The pages are plugged in with setPage(); until then a placeholder
// holds each slot.
//
// The shortcuts reach the Conversations page through its slots by name (openSession(qint64),
// selectNextNeedingAttention(), takeOverOrHandBack(), approveDraft(), focusSearch(),
// focusComposer()), so any page that has them works; a page without one ignores the key.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
public:
    enum class Page { Conversations, Knowledge, Dashboard, Logs, Tickets, Settings };
    Q_ENUM(Page)

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;
    Q_DISABLE_COPY_MOVE(MainWindow)

    // Puts `page` into its navigation slot (the window takes it over; the previous widget of the
    // slot is deleted). Tickets and Settings appear in the sidebar once they have a page.
    void setPage(Page which, QWidget *page);
    QWidget *page(Page which) const;
    Page currentPage() const;
    void showPage(Page which);

    StatusPanel *statusPanel() const { return m_status; }
    QList<ShortcutsDialog::Entry> shortcuts() const;

    // True when a tray icon is visible: closing the window then hides it. Otherwise closing asks
    // and quits.
    void setHideToTray(bool hide) { m_hideToTray = hide; }
    bool hidesToTray() const { return m_hideToTray; }
    // Closing no longer asks (the application is quitting).
    void setQuitting() { m_quitting = true; }

    void saveWindowState(QSettings &settings) const;
    void restoreWindowState(const QSettings &settings);

public slots:
    // Shows, raises and activates the window (tray click, second launch, notification click).
    void bringToFront();
    void toggleVisible();
    // Shows the conversation (notification click).
    void openSession(qint64 sessionId);
    void showShortcuts();

signals:
    // The operator wants to quit (closing without a tray and confirming, or Quit).
    void quitRequested();
    // Shown or hidden (to the tray, or back): the tray's Show/Hide entry follows it.
    void visibilityChanged(bool visible);

protected:
    void closeEvent(QCloseEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    QAction *addShortcut(const QString &what, const QList<QKeySequence> &keys, const char *conversationSlot);
    bool invokeOnConversations(const char *slot);
    bool confirmQuit();
    void addNavigation(Page which, const QString &text, const QString &hint);

    QListWidget *m_nav = nullptr;
    QStackedWidget *m_stack = nullptr;
    StatusPanel *m_status = nullptr;
    QHash<int, QWidget *> m_pages; // Page -> widget in m_stack
    QList<QAction *> m_shortcutActions;
    bool m_hideToTray = false;
    bool m_quitting = false;
};
