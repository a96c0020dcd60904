#include "AuditService.h"

#include "AuditReader.h"
#include "AuditText.h"
#include "StoreWorker.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QSaveFile>
#include <QTimer>

namespace pitwall {
namespace {

// The filter as of now: a "last hour" starts an hour before this read.
AuditFilter asOfNow(AuditFilter f) {
    if (f.lastMs > 0)
        f.fromMs = QDateTime::currentMSecsSinceEpoch() - f.lastMs;
    return f;
}

} // namespace

AuditService::AuditService(QObject *parent)
    : QObject(parent)
    , m_reads(new StoreWorker(QStringLiteral("audit-reads"), this))
    , m_exports(new StoreWorker(QStringLiteral("audit-export"), this))
    , m_timer(new QTimer(this)) {
    m_timer->setSingleShot(true);
    connect(m_timer, &QTimer::timeout, this, &AuditService::refresh);
}

AuditService::~AuditService() {
    *m_cancel = true;
    delete std::exchange(m_exports, nullptr);
    delete std::exchange(m_reads, nullptr);
}

void AuditService::connectTo(const ConnectionSettings &settings) {
    m_settings = settings;
    m_pages.supersede();
    m_older.supersede();
    m_reads->setSettings(settings);
    m_exports->setSettings(settings);
    m_olderShown = false;
    refresh();
}

void AuditService::setFilter(const AuditFilter &filter) {
    m_filter = filter;
    m_older.supersede();
    m_olderShown = false;
    refresh();
}

void AuditService::refresh() {
    m_timer->stop();
    if (!m_settings.isComplete())
        return;
    struct Answer {
        AuditPage page;
        QString error;
    };
    const AuditFilter filter = asOfNow(m_filter);
    m_shown = filter; // older pages continue this one, with its start
    m_reads->request<Answer>(
        m_pages.next(), this,
        [filter](StoreConnections &c) {
            return Answer{readAudit(c.postgres(), filter, std::nullopt, kPageSize), {}};
        },
        [](const QString &error) {
            return Answer{{}, error};
        },
        [this](const Answer &a) {
            if (!m_olderShown || !a.error.isEmpty())
                Q_EMIT pageArrived(a.page, false, a.error);
            if (!m_olderShown)
                m_timer->start(kRefreshMs);
        });
}

void AuditService::loadOlder(const AuditCursor &after) {
    if (!m_settings.isComplete())
        return;
    m_olderShown = true;
    m_timer->stop();
    struct Answer {
        AuditPage page;
        QString error;
    };
    const AuditFilter filter = m_shown;
    m_reads->request<Answer>(
        m_older.next(), this,
        [filter, after](StoreConnections &c) {
            return Answer{readAudit(c.postgres(), filter, after, kPageSize), {}};
        },
        [](const QString &error) {
            return Answer{{}, error};
        },
        [this](const Answer &a) { Q_EMIT pageArrived(a.page, true, a.error); });
}

void AuditService::cancelExport() {
    *m_cancel = true;
}

void AuditService::exportTo(const QString &path, Format format) {
    if (!m_settings.isComplete()) {
        Q_EMIT exportFinished(false, tr("Not connected: nothing to export."));
        return;
    }
    m_cancel = std::make_shared<std::atomic<bool>>(false); // this export's own
    QPointer<AuditService> self(this);
    const AuditFilter filter = asOfNow(m_filter);
    m_exports->post([self, path, format, filter, cancel = m_cancel](StoreConnections &c) {
        auto report = [self](auto signal, auto... args) {
            QMetaObject::invokeMethod(
                self.data(),
                [self, signal, args...] {
                    if (self)
                        (self.data()->*signal)(args...);
                },
                Qt::QueuedConnection);
        };
        QSaveFile file(path); // written to a temporary file, renamed by commit()
        if (!file.open(QIODevice::WriteOnly)) {
            report(&AuditService::exportFinished, false,
                   tr("Could not write %1: %2").arg(path, file.errorString()));
            return;
        }
        long long rows = 0;
        try {
            if (format == Format::Csv)
                file.write(QByteArray::fromStdString(auditCsvHeader()));
            std::optional<AuditCursor> after;
            do {
                if (*cancel) {
                    file.cancelWriting();
                    report(&AuditService::exportFinished, false,
                           tr("Export cancelled after %1 actions; no file was written.").arg(rows));
                    return;
                }
                const AuditPage page = readAudit(c.postgres(), filter, after, kMaxAuditPage);
                for (const AuditEntry &e : page.entries) {
                    const std::string line =
                        format == Format::Csv ? auditCsvRow(e) : auditJsonLine(e);
                    if (file.write(line.data(), qint64(line.size())) != qint64(line.size()))
                        throw std::runtime_error(file.errorString().toStdString());
                    if (++rows >= kMaxExported)
                        break;
                }
                after = page.next;
                report(&AuditService::exportProgress, rows);
            } while (after && rows < kMaxExported);
            c.succeeded();
        } catch (const std::exception &e) {
            c.failed(e.what());
            file.cancelWriting();
            report(&AuditService::exportFinished, false,
                   tr("Export failed after %1 actions, no file was written: %2")
                       .arg(rows)
                       .arg(QString::fromStdString(e.what())));
            return;
        }
        if (!file.commit()) {
            report(&AuditService::exportFinished, false,
                   tr("Could not write %1: %2").arg(path, file.errorString()));
            return;
        }
        report(&AuditService::exportFinished, true,
               rows >= kMaxExported
                   ? tr("Exported the newest %1 actions to %2 (the most one export takes).")
                         .arg(rows)
                         .arg(path)
                   : tr("Exported %1 actions to %2.").arg(rows).arg(path));
    });
}

} // namespace pitwall
