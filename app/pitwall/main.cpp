#include "BreakersPage.h"
#include "CanaryPage.h"
#include "ConnectionStrings.h"
#include "ConsoleSession.h"
#include "LiveRunsModel.h"
#include "LiveRunsPage.h"
#include "MainWindow.h"
#include "Sandbox.h"
#include "SpendPage.h"
#include "TracePage.h"

#include <cstdio>

#include <QApplication>
#include <QCommandLineParser>
#include <QLineEdit>
#include <QLocale>
#include <QPixmap>
#include <QScreen>
#include <QTableView>
#include <QTimer>
#include <QTranslator>
#include <QUuid>

using namespace pitwall;

int main(int argc, char **argv) {
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("pitwall"));
    QApplication::setOrganizationName(QStringLiteral("Pitwall"));
    QApplication::setApplicationVersion(QStringLiteral(PITWALL_VERSION));

    QTranslator translator;
    if (translator.load(QLocale(), QStringLiteral("pitwall"), QStringLiteral("_"),
                        QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate(
        "main", "Operator console for AI agents in production.\n\n"
                "A password given in --pg or --redis is visible to every user of this machine "
                "(ps). Keep it out of the command line: ~/.pgpass or PGPASSFILE, a service file "
                "with PGSERVICE (or service=NAME in the connection string) for PostgreSQL, "
                "PITWALL_REDIS_PASSWORD for Redis, or type it in the connection dialog (Ctrl+K), "
                "which keeps it in the system keychain."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption pg(
        QStringLiteral("pg"),
        QApplication::translate("main", "PostgreSQL connection string or URI (else PITWALL_PG)."),
        QStringLiteral("conninfo"));
    const QCommandLineOption redis(
        QStringLiteral("redis"), QApplication::translate("main", "Redis URL (else PITWALL_REDIS)."),
        QStringLiteral("url"));
    const QCommandLineOption sandbox(
        QStringLiteral("sandbox"),
        QApplication::translate("main", "Start a local sandbox and stop it on exit."));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QApplication::translate("main", "A local sandbox with a simulated fleet running."));
    const QCommandLineOption sandboxDir(
        QStringLiteral("sandbox-dir"),
        QApplication::translate("main", "Where the sandbox keeps its servers."),
        QStringLiteral("dir"), Sandbox::defaultDir());
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QApplication::translate(
            "main", "Save a screenshot of the window after --screenshot-after ms, then quit."),
        QStringLiteral("png"));
    const QCommandLineOption screenshotAfter(
        QStringLiteral("screenshot-after"),
        QApplication::translate("main", "Delay before the screenshot."), QStringLiteral("ms"),
        QStringLiteral("8000"));
    const QCommandLineOption page(
        QStringLiteral("page"),
        QApplication::translate(
            "main", "Open on this page (0: overview, 1: live runs, 2: traces, 3: canary, 4: spend, "
                    "5: breakers, 6: audit)."),
        QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption filter(
        QStringLiteral("filter"),
        QApplication::translate("main", "Filter the live runs, e.g. \"version:v7 running\"."),
        QStringLiteral("text"));
    const QCommandLineOption selectRunaway(
        QStringLiteral("select-runaway"),
        QApplication::translate("main", "Sort runaways to the top and select the first running "
                                        "one once it shows."));
    const QCommandLineOption trace(
        QStringLiteral("trace"),
        QApplication::translate("main", "Open this trace (a trace id or a run id) once connected."),
        QStringLiteral("id"));
    const QCommandLineOption span(
        QStringLiteral("span"),
        QApplication::translate("main", "With --trace: select this span (its hex id)."),
        QStringLiteral("id"));
    const QCommandLineOption canaryAgent(
        QStringLiteral("canary-agent"),
        QApplication::translate("main", "On the canary page, select this agent once it shows."),
        QStringLiteral("agent"));
    const QCommandLineOption canaryTab(
        QStringLiteral("canary-tab"),
        QApplication::translate("main", "On the canary page, open this tab (0: charts, 1: "
                                        "example runs, 2: history, 3: policy)."),
        QStringLiteral("n"));
    const QCommandLineOption spendScope(
        QStringLiteral("spend-scope"),
        QApplication::translate("main", "On the spend page, select this scope: global, "
                                        "agent:NAME, user:NAME or user:* (the default cap)."),
        QStringLiteral("scope"));
    const QCommandLineOption spendTab(
        QStringLiteral("spend-tab"),
        QApplication::translate("main", "On the spend page, open this tab (0: charts, 1: "
                                        "reconciliation)."),
        QStringLiteral("n"));
    const QCommandLineOption breaker(
        QStringLiteral("breaker"),
        QApplication::translate("main", "Open the breakers page on this tool once it shows."),
        QStringLiteral("tool"));
    parser.addOptions({pg, redis, sandbox, demo, sandboxDir, screenshot, screenshotAfter, page,
                       filter, selectRunaway, trace, span, canaryAgent, canaryTab, spendScope,
                       spendTab, breaker});
    parser.process(app);

    MainWindow window;
    ConsoleSession session(&window);
    QObject::connect(&app, &QApplication::aboutToQuit, &session, &ConsoleSession::shutdown);

    ConnectionSettings settings;
    settings.postgres = parser.value(pg);
    settings.redis = parser.value(redis);
    fillFromEnvironment(settings);
    window.show();
    window.showPage(parser.value(page).toInt());
    if (parser.isSet(filter))
        session.liveRunsPage()->filter()->setText(parser.value(filter));
    if (parser.isSet(trace)) {
        const QString id = parser.value(trace);
        if (parser.isSet(span))
            session.tracePage()->selectWhenShown(parser.value(span));
        // A run id is a UUID; anything else is taken for a trace id.
        const bool isRun = QUuid::fromString(id).isNull() == false;
        QTimer::singleShot(500, &session, [&session, id, isRun] {
            if (isRun)
                session.openTraceOfRun(id);
            else
                session.openTrace(id, id);
        });
    }
    if (parser.isSet(canaryTab)) {
        bool ok = false;
        const int tab = parser.value(canaryTab).toInt(&ok);
        if (!ok || tab < 0 || tab >= session.canaryPage()->tabs()->count()) {
            std::fprintf(stderr, "pitwall: --canary-tab is a number from 0 to %d, not \"%s\"\n",
                         int(session.canaryPage()->tabs()->count()) - 1,
                         qPrintable(parser.value(canaryTab)));
            return 2;
        }
        session.canaryPage()->tabs()->setCurrentIndex(tab);
    }
    if (parser.isSet(spendTab)) {
        bool ok = false;
        const int tab = parser.value(spendTab).toInt(&ok);
        if (!ok || tab < 0 || tab > 1) {
            std::fprintf(stderr, "pitwall: --spend-tab is 0 or 1, not \"%s\"\n",
                         qPrintable(parser.value(spendTab)));
            return 2;
        }
        session.spendPage()->setTab(tab);
    }
    if (parser.isSet(spendScope)) {
        const QString scope = parser.value(spendScope);
        const qsizetype colon = scope.indexOf(QLatin1Char(':'));
        const QString kind = colon < 0 ? scope : scope.left(colon);
        const QString subject = colon < 0 ? QStringLiteral("*") : scope.mid(colon + 1);
        if ((kind != QLatin1String("global") && kind != QLatin1String("agent") &&
             kind != QLatin1String("user")) ||
            subject.isEmpty() ||
            (kind == QLatin1String("global") && subject != QLatin1String("*"))) {
            std::fprintf(stderr,
                         "pitwall: --spend-scope is global, agent:NAME, user:NAME or "
                         "user:*, not \"%s\"\n",
                         qPrintable(scope));
            return 2;
        }
        session.spendPage()->selectScope(kind, subject);
    }
    if (parser.isSet(breaker)) {
        auto *poll = new QTimer(&window);
        QObject::connect(poll, &QTimer::timeout, &window,
                         [poll, &session, tool = parser.value(breaker)] {
                             session.showBreaker(tool);
                             if (session.breakersPage()->selectedTool() == tool)
                                 poll->deleteLater();
                         });
        poll->start(300);
        QTimer::singleShot(60'000, poll, &QObject::deleteLater); // not there within a minute
    }
    if (parser.isSet(canaryAgent)) {
        auto *poll = new QTimer(&window);
        QObject::connect(poll, &QTimer::timeout, &window,
                         [poll, page = session.canaryPage(), agent = parser.value(canaryAgent)] {
                             page->selectAgent(agent);
                             if (page->currentAgent() == agent)
                                 poll->deleteLater();
                         });
        poll->start(300);
        QTimer::singleShot(60'000, poll, &QObject::deleteLater); // not there within a minute
    }
    if (parser.isSet(selectRunaway)) {
        session.liveRunsPage()->table()->sortByColumn(LiveRunsModel::Runaway, Qt::DescendingOrder);
        auto *poll = new QTimer(&window);
        QObject::connect(
            poll, &QTimer::timeout, &window,
            [poll, model = session.liveRuns(), table = session.liveRunsPage()->table()] {
                for (int r = 0; r < model->rowCount(); ++r) {
                    const QModelIndex i = model->index(r, 0);
                    if (i.data(LiveRunsModel::RunawayRole).toInt() &&
                        !i.data(LiveRunsModel::EndedRole).toBool()) {
                        table->selectRow(r);
                        table->scrollTo(model->index(r, 0), QAbstractItemView::PositionAtCenter);
                        table->setFocus();
                        poll->deleteLater();
                        return;
                    }
                }
            });
        poll->start(500);
    }
    if (parser.isSet(sandbox) || parser.isSet(demo))
        session.startSandbox(parser.value(sandboxDir), parser.isSet(demo));
    else if (settings.isComplete())
        session.connectTo(settings);
    else
        QTimer::singleShot(0, &session, &ConsoleSession::askForConnection);

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        QTimer::singleShot(parser.value(screenshotAfter).toInt(), &window, [&window, file] {
            window.grab().save(file);
            QApplication::quit();
        });
    }
    return QApplication::exec();
}
