#include "ActionRules.h"
#include "CommandLine.h"
#include "TerminalText.h"

#include <QTest>

using namespace pitwall;

namespace {

// The message of the UsageError `f` throws, or "" when it throws none.
template <typename F> QString usageErrorOf(F f) {
    try {
        f();
    } catch (const UsageError &e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

} // namespace

class TestCommandLine : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // Numbers that do not fit, or are not numbers, are refused with the range in the sentence;
    // before, --revision 1e30 became a wrapped negative number.
    void numbersOutOfRangeAreRefused_data() {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("says");
        QTest::newRow("revision 1e30")
            << "revision"
            << "1e30"
            << "--revision takes a whole number from 0 to 9223372036854775807";
        QTest::newRow("revision 2^63") << "revision"
                                       << "9223372036854775808"
                                       << "from 0 to 9223372036854775807, not";
        QTest::newRow("revision negative") << "revision"
                                           << "-1"
                                           << "from 0 to";
        QTest::newRow("revision fraction") << "revision"
                                           << "1.5"
                                           << "whole number";
        QTest::newRow("wait NaN") << "wait"
                                  << "nan"
                                  << "--wait takes a number from";
        QTest::newRow("wait inf") << "wait"
                                  << "inf"
                                  << "--wait takes a number from";
        QTest::newRow("wait huge") << "wait"
                                   << "1e300"
                                   << "to 3600";
        QTest::newRow("wait zero") << "wait"
                                   << "0"
                                   << "--wait takes a number from 0.001";
    }
    void numbersOutOfRangeAreRefused() {
        QFETCH(QString, option);
        QFETCH(QString, value);
        QFETCH(QString, says);
        const CommandLine cl({"--" + option.toStdString(), value.toStdString()},
                             {option.toStdString()});
        const QString error = usageErrorOf([&] {
            if (option == QLatin1String("revision"))
                cl.integer("revision", 0, std::numeric_limits<long long>::max());
            else
                cl.number("wait", 0.001, 3600);
        });
        QVERIFY2(error.contains(says), qPrintable(error));
    }
    void numbersInRangeAreRead() {
        const CommandLine cl({"--revision", "9223372036854775807", "--wait", "2.5"},
                             {"revision", "wait"});
        QCOMPARE(cl.integer("revision", 0, std::numeric_limits<long long>::max()).value(),
                 std::numeric_limits<long long>::max());
        QCOMPARE(cl.number("wait", 0.001, 3600).value(), 2.5);
        QVERIFY(!cl.integer("seed", 0, 10));
    }

    void durations_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("ms");    // when valid
        QTest::addColumn<QString>("says"); // when not
        QTest::newRow("90s") << "90s" << qint64(90'000) << QString();
        QTest::newRow("1.5h") << "1.5h" << qint64(5'400'000) << QString();
        QTest::newRow("366d") << "366d" << qint64(366LL * 86'400'000) << QString();
        QTest::newRow("1e300d") << "1e300d" << qint64(0) << "at most 366 days";
        QTest::newRow("367d") << "367d" << qint64(0) << "at most 366 days";
        QTest::newRow("infd") << "infd" << qint64(0) << "is not a duration";
        QTest::newRow("nans") << "nans" << qint64(0) << "is not a duration";
        QTest::newRow("0.1s") << "0.1s" << qint64(0) << "at least 1 second";
        QTest::newRow("-5m") << "-5m" << qint64(0) << "is not a duration";
        QTest::newRow("5 m") << "5 m" << qint64(0) << "is not a duration";
        QTest::newRow("5w") << "5w" << qint64(0) << "is not a duration";
    }
    void durations() {
        QFETCH(QString, text);
        QFETCH(qint64, ms);
        QFETCH(QString, says);
        long long got = 0;
        const QString error = usageErrorOf([&] { got = parseDurationMs(text.toStdString()); });
        if (says.isEmpty()) {
            QCOMPARE(error, QString());
            QCOMPARE(qint64(got), ms);
        } else {
            QVERIFY2(error.contains(says), qPrintable(error));
        }
    }
    void timesOutOfRangeAreRefused() {
        QVERIFY(usageErrorOf([] { parseTimeMs("+1e300d"); }).contains(QLatin1String("366 days")));
        QVERIFY(usageErrorOf([] {
                    parseTimeMs("9999-01-01T00:00:00Z");
                }).contains(QLatin1String("between 1970 and 2200")));
        QVERIFY(usageErrorOf([] { parseTimeMs("soon"); }).contains(QLatin1String("is not a time")));
        QCOMPARE(parseTimeMs("2026-12-01T08:00:00Z"), 1'796'112'000'000LL);
    }

    // Reasons: blank in every way a terminal can hide, or too long, are refused; the database
    // checks the same in pitwall.begin_action.
    void reasons_data() {
        QTest::addColumn<QByteArray>("reason");
        QTest::addColumn<bool>("valid");
        QTest::newRow("words") << QByteArray("tool loop on fetch_page") << true;
        QTest::newRow("leading no-break space") << QByteArray("\xc2\xa0loop") << true;
        QTest::newRow("one letter in another script") << QByteArray("\xe6\xad\xa2") << true;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("carriage return") << QByteArray("\r") << false;
        QTest::newRow("vertical tab, form feed") << QByteArray("\v\f") << false;
        QTest::newRow("no-break space") << QByteArray("\xc2\xa0") << false;
        QTest::newRow("zero-width space") << QByteArray("\xe2\x80\x8b") << false;
        QTest::newRow("ideographic space, BOM, NEL")
            << QByteArray("\xe3\x80\x80\xef\xbb\xbf\xc2\x85 \t\n") << false;
        QTest::newRow("an escape sequence only") << QByteArray("\x1b\x1b") << false;
        QTest::newRow("not UTF-8") << QByteArray("bad \xff byte") << false;
        QTest::newRow("2000 characters") << QByteArray(2000, 'x') << true;
        QTest::newRow("2000 two-byte characters") << QByteArray("\xc3\xa9").repeated(2000) << true;
        QTest::newRow("2001 characters") << QByteArray(2001, 'x') << false;
    }
    void reasons() {
        QFETCH(QByteArray, reason);
        QFETCH(bool, valid);
        const std::string why =
            reasonProblem(std::string_view(reason.constData(), size_t(reason.size())));
        QVERIFY2(why.empty() == valid, why.c_str());
    }
    void tooLongReasonSaysTheLimit() {
        QCOMPARE(QString::fromStdString(reasonProblem(std::string(2001, 'x'))),
                 QStringLiteral("a reason may be at most 2000 characters, not 2001"));
    }

    // What a terminal would act on is printed escaped; letters stay as they are.
    void printableText_data() {
        QTest::addColumn<QByteArray>("in");
        QTest::addColumn<QByteArray>("out");
        QTest::newRow("plain") << QByteArray("kill run 42") << QByteArray("kill run 42");
        QTest::newRow("letters") << QByteArray("Grüße 止") << QByteArray("Grüße 止");
        QTest::newRow("ANSI colour")
            << QByteArray("\x1b[31mred\x1b[0m") << QByteArray("\\x1b[31mred\\x1b[0m");
        QTest::newRow("8-bit CSI") << QByteArray("a\xc2\x9b"
                                                 "2J")
                                   << QByteArray("a\\x9b2J");
        QTest::newRow("carriage return hides text")
            << QByteArray("ok\rEVIL") << QByteArray("ok\\rEVIL");
        QTest::newRow("newline, tab") << QByteArray("a\nb\tc") << QByteArray("a\\nb\\tc");
        QTest::newRow("bidi override") << QByteArray("x\xe2\x80\xaey") << QByteArray("x\\u202ey");
        QTest::newRow("backslash") << QByteArray("a\\x1b") << QByteArray("a\\\\x1b");
        QTest::newRow("zero-width and no-break spaces")
            << QByteArray("a\xe2\x80\x8b b\xc2\xa0") << QByteArray("a\\u200b b\\xa0");
        QTest::newRow("not UTF-8") << QByteArray("\xff\xc3") << QByteArray("\\xff\\xc3");
        QTest::newRow("bell, DEL") << QByteArray("\x07\x7f") << QByteArray("\\x07\\x7f");
    }
    void printableText() {
        QFETCH(QByteArray, in);
        QFETCH(QByteArray, out);
        QCOMPARE(QByteArray::fromStdString(
                     printable(std::string_view(in.constData(), size_t(in.size())))),
                 out);
    }
};

QTEST_GUILESS_MAIN(TestCommandLine)
#include "test_command_line.moc"
