#pragma once

#include <QWidget>

class LogFilter;
class LogModel;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPushButton;

// The Logs page: the live, redacted log lines (the same text as the log file) with level and
// category filters, text search, pause/follow, copy and save-as.
class LogPage final : public QWidget
{
    Q_OBJECT
public:
    // The page does not own `model` (the console keeps one for its whole life, so lines logged
    // before the page is shown are there too).
    explicit LogPage(LogModel *model, QWidget *parent = nullptr);
    ~LogPage() override;
    Q_DISABLE_COPY_MOVE(LogPage)

    LogFilter *filter() const { return m_filter; }
    QListView *view() const { return m_view; }
    // The selected lines (or none), oldest first, one per line.
    QString selectedText() const;
    // Writes every line the filters let through. False with *error.
    bool saveTo(const QString &path, QString *error) const;

public slots:
    void focusSearch();
    void copySelection();
    void saveAs();
    void setPaused(bool paused);
    void setFollow(bool follow);

private:
    void updateLevelFilter();
    void updateCategories(const QStringList &categories);
    void updateHint();
    void updatePauseText(int pending);

    LogModel *m_model = nullptr;
    LogFilter *m_filter = nullptr;
    QComboBox *m_level = nullptr;
    QComboBox *m_category = nullptr;
    QLineEdit *m_search = nullptr;
    QPushButton *m_pause = nullptr;
    QCheckBox *m_follow = nullptr;
    QPushButton *m_copy = nullptr;
    QPushButton *m_save = nullptr;
    QListView *m_view = nullptr;
    QLabel *m_hint = nullptr;
};
