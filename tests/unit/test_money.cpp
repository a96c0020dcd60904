#include "Money.h"

#include <QTest>

using namespace pitwall;

class TestMoney : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void parses_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("micros");
        QTest::newRow("whole") << QStringLiteral("25") << true << qint64(25'000'000);
        QTest::newRow("cents") << QStringLiteral("0.50") << true << qint64(500'000);
        QTest::newRow("one micro") << QStringLiteral("0.000001") << true << qint64(1);
        QTest::newRow("postgres numeric")
            << QStringLiteral("12.500000") << true << qint64(12'500'000);
        QTest::newRow("leading dot") << QStringLiteral(".5") << true << qint64(500'000);
        QTest::newRow("negative") << QStringLiteral("-1.25") << true << qint64(-1'250'000);
        QTest::newRow("seven decimals") << QStringLiteral("0.0000001") << false << qint64(0);
        QTest::newRow("empty") << QString() << false << qint64(0);
        QTest::newRow("letters") << QStringLiteral("12usd") << false << qint64(0);
        QTest::newRow("only a dot") << QStringLiteral(".") << false << qint64(0);
        // The largest numeric(14,6), and what wrapped around before: 18446744073710 dollars
        // became $0.448384, 18446744073709.551616 became $0.
        QTest::newRow("largest") << QStringLiteral("99999999.999999") << true
                                 << qint64(99'999'999'999'999);
        QTest::newRow("largest, leading zeros")
            << QStringLiteral("00099999999.999999") << true << qint64(99'999'999'999'999);
        QTest::newRow("largest, negative")
            << QStringLiteral("-99999999.999999") << true << qint64(-99'999'999'999'999);
        QTest::newRow("one dollar over") << QStringLiteral("100000000") << false << qint64(0);
        QTest::newRow("wraps 2^64 micros")
            << QStringLiteral("18446744073710") << false << qint64(0);
        QTest::newRow("2^64 micros exactly")
            << QStringLiteral("18446744073709.551616") << false << qint64(0);
        QTest::newRow("huge") << QString(400, QLatin1Char('9')) << false << qint64(0);
        QTest::newRow("sign only") << QStringLiteral("-") << false << qint64(0);
        QTest::newRow("exponent") << QStringLiteral("1e3") << false << qint64(0);
        QTest::newRow("NaN") << QStringLiteral("NaN") << false << qint64(0);
    }
    void parses() {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(qint64, micros);
        const auto parsed = parseUsdMicros(text.toStdString());
        QCOMPARE(parsed.has_value(), valid);
        if (valid)
            QCOMPARE(qint64(*parsed), micros);
    }
    // Too large is told apart from not a number, so the message can name the limit.
    void tooLargeIsSaid() {
        bool tooLarge = false;
        QVERIFY(!parseUsdMicros("100000000", &tooLarge));
        QVERIFY(tooLarge);
        QVERIFY(!parseUsdMicros("18446744073709.551616", &tooLarge));
        QVERIFY(tooLarge);
        QVERIFY(!parseUsdMicros("12usd", &tooLarge));
        QVERIFY(!tooLarge);
        QVERIFY(parseUsdMicros(kMaxUsdText, &tooLarge));
        QVERIFY(!tooLarge);
        QCOMPARE(*parseUsdMicros(kMaxUsdText), kMaxUsdMicros);
    }
    void formats_data() {
        QTest::addColumn<qint64>("micros");
        QTest::addColumn<QString>("usd");
        QTest::addColumn<QString>("numeric");
        QTest::newRow("dollars") << qint64(12'500'000) << QStringLiteral("12.50")
                                 << QStringLiteral("12.500000");
        QTest::newRow("fraction of a cent")
            << qint64(1234) << QStringLiteral("0.001234") << QStringLiteral("0.001234");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0.00") << QStringLiteral("0.000000");
        QTest::newRow("negative") << qint64(-2'000'000) << QStringLiteral("-2.00")
                                  << QStringLiteral("-2.000000");
    }
    void formats() {
        QFETCH(qint64, micros);
        QFETCH(QString, usd);
        QFETCH(QString, numeric);
        QCOMPARE(QString::fromStdString(formatUsd(micros)), usd);
        QCOMPARE(QString::fromStdString(microsToNumeric(micros)), numeric);
        QCOMPARE(parseUsdMicros(microsToNumeric(micros)).value(), micros);
    }
};

QTEST_GUILESS_MAIN(TestMoney)
#include "test_money.moc"
