// SPDX-License-Identifier: GPL-3.0-or-later
// Pickle: real pickles written by /usr/bin/python3 (protocols 0–5) decode to the plain data
// Python put in; classes are named, never run; hostile and mutated pickles give a reason,
// never a crash (a deterministic mutation loop over the real pickles; run it under ASan).
#include "decode/pickle.h"
#include "testsupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::Literals::StringLiterals;
using namespace TestSupport;

namespace {

// Python writes one line per case: name, protocol, hex of the pickle, and the JSON the reader
// must produce (bytes as {"blob_bytes", "preview"}, as documented in pickle.h).
const char* kScript = R"PY(
import pickle, json, sys, datetime, collections, fractions

class Point:
    def __init__(self, x, y):
        self.x, self.y = x, y

def expected(v):
    if isinstance(v, (bytes, bytearray)):
        try:
            s = bytes(v).decode('utf-8')
            if any(ord(c) < 0x20 and c not in '\n\t\r' for c in s):
                raise ValueError
        except ValueError:
            s = ''.join(chr(b) if 0x20 <= b < 0x7f else '.' for b in v)
        return {"blob_bytes": len(v), "preview": s}
    if isinstance(v, bool) or v is None or isinstance(v, str) or isinstance(v, float):
        return v
    if isinstance(v, int):
        return v if -2**63 <= v < 2**63 else str(v)
    if isinstance(v, (list, tuple)):
        return [expected(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return [expected(x) for x in sorted(v)]
    if isinstance(v, dict):
        return {(k if isinstance(k, str) else json.dumps(expected(k))): expected(x) for k, x in v.items()}
    raise TypeError(type(v))

values = {
    "none": None, "true": True, "false": False, "small": 7, "negative": -300, "int32": -2**31,
    "int64": 2**62 + 5, "int64min": -2**63, "big": 2**200 + 1, "bigneg": -(2**100), "float": 3.25,
    "str": "Kühlschrank ❄ \U0001F600", "empty": "", "bytes": b"\x00\x01raw\xff", "utf8bytes": "héllo".encode(),
    "bytearray": bytearray(b"abc"), "list": [1, "two", 3.0, None], "tuple": ("tuple", 1),
    "nested": {"a": [1, {"b": (2, 3)}], "c": {"d": None}}, "intkeys": {1: "one", 2: "two"},
    "set": {1, 2, 3}, "frozenset": frozenset({"x"}), "longstr": "x" * 70000,
    "shared": (lambda l: [l, l])([1, 2]), "ordered": collections.OrderedDict([("k", 1), ("j", 2)]),
}
for name, v in values.items():
    for proto in range(0, 6):
        data = pickle.dumps(v, protocol=proto)
        e = expected(v)
        if name == "ordered" and proto < 2:
            continue
        print(name, proto, data.hex(), json.dumps(e, separators=(",", ":")))
# Classes: named with their state, nothing run.
for proto in range(0, 6):
    print("class", proto, pickle.dumps(Point(1, "y"), protocol=proto).hex(), "null")
    print("datetime", proto, pickle.dumps(datetime.datetime(2026, 11, 28, 4, 30, 12), protocol=proto).hex(), "null")
    print("fraction", proto, pickle.dumps(fractions.Fraction(1, 3), protocol=proto).hex(), "null")
)PY";

struct Case {
    QString name;
    int protocol;
    QByteArray bytes;
    QJsonValue expected;
};

QList<Case> pythonCases()
{
    const auto result = runPythonScript(QString::fromUtf8(kScript));
    if (result.exitCode != 0)
        qWarning() << result.err;
    QList<Case> cases;
    for (const QByteArray& line : result.out.split('\n')) {
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() != 4)
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson("[" + parts[3] + "]");
        cases << Case { QString::fromLatin1(parts[0]), parts[1].toInt(), QByteArray::fromHex(parts[2]),
            doc.array().first() };
    }
    return cases;
}

QByteArray compact(const QJsonValue& value)
{
    return QJsonDocument(QJsonArray { value }).toJson(QJsonDocument::Compact);
}

// Sets in Python come in hash order: compare their items sorted.
QJsonValue sortedArray(const QJsonValue& value)
{
    QList<QByteArray> items;
    for (const QJsonValue& item : value.toArray())
        items << compact(item);
    std::sort(items.begin(), items.end());
    QJsonArray out;
    for (const QByteArray& item : items)
        out.append(QJsonDocument::fromJson(item).array().first());
    return out;
}

} // namespace

class TestPickle : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void plainDataOfEveryProtocol();
    void classesAreNamedNotRun();
    void hostileClassNamesEscapedInRepr();
    void int64IsExact();
    void previewLimitsCutLongValues();
    void hostileInputGivesReasons_data();
    void hostileInputGivesReasons();
    void sharedReferencesAreBounded();
    void sharedStringsAreBoundedByCharacters();
    void mutationFuzz();

private:
    QList<Case> m_cases;
};

void TestPickle::initTestCase()
{
    m_cases = pythonCases();
    QVERIFY2(m_cases.size() > 100, "python3 wrote the pickles");
}

void TestPickle::plainDataOfEveryProtocol()
{
    int checked = 0;
    for (const Case& c : std::as_const(m_cases)) {
        if (c.expected.isNull() && c.name != u"none"_s)
            continue;
        const QString label = u"%1 protocol %2"_s.arg(c.name).arg(c.protocol);
        auto decoded = Pickle::decode(c.bytes);
        QVERIFY2(decoded, qPrintable(label + u": "_s + decoded.error().message));
        QJsonValue got = decoded.value();
        QJsonValue want = c.expected;
        if (c.name == u"set"_s || c.name == u"frozenset"_s) {
            got = sortedArray(got);
            want = sortedArray(want);
        }
        if (compact(got) != compact(want))
            QFAIL(qPrintable(label + u": got "_s + QString::fromUtf8(compact(got)).left(300) + u" want "_s
                + QString::fromUtf8(compact(want)).left(300)));
        ++checked;
    }
    QVERIFY(checked > 100);
}

void TestPickle::classesAreNamedNotRun()
{
    int checked = 0;
    for (const Case& c : std::as_const(m_cases)) {
        if (!c.expected.isNull() || c.name == u"none"_s)
            continue;
        auto decoded = Pickle::decode(c.bytes);
        QVERIFY2(decoded, qPrintable(c.name + u": "_s + decoded.error().message));
        const QJsonObject object = decoded->toObject();
        const QString text = Pickle::text(decoded.value());
        if (c.name == u"class"_s) {
            QCOMPARE(object[u"__class__"_s].toString(), u"__main__.Point"_s);
            QCOMPARE(object[u"state"_s][u"x"_s].toInteger(), 1);
            QCOMPARE(object[u"state"_s][u"y"_s].toString(), u"y"_s);
            QVERIFY2(text.startsWith(u"__main__.Point("_s), qPrintable(text));
        } else if (c.name == u"datetime"_s) {
            QCOMPARE(object[u"__class__"_s].toString(), u"datetime.datetime"_s);
            QVERIFY2(text.contains(u"2026-11-28T04:30:12"_s), qPrintable(text));
        } else {
            QCOMPARE(object[u"__class__"_s].toString(), u"fractions.Fraction"_s);
        }
        ++checked;
    }
    QCOMPARE(checked, 18);
    // A pickle that would run os.system is only described.
    const QByteArray evil = "cos\nsystem\n(S'touch /tmp/pwned'\ntR.";
    auto decoded = Pickle::decode(evil);
    QVERIFY(decoded);
    QCOMPARE(Pickle::text(decoded.value()), u"os.system('touch /tmp/pwned')"_s);
}

// STACK_GLOBAL takes any string as a module or class name: a hostile cache could put a newline, an ESC or a
// right-to-left override into the repr() text the Entries table and detail show (review of stop 48). They are escaped.
void TestPickle::hostileClassNamesEscapedInRepr()
{
    const auto shortUnicode
        = [](const QByteArray& utf8) -> QByteArray { return QByteArray("\x8c", 1) + char(utf8.size()) + utf8; };
    // PROTO 4, module, name, STACK_GLOBAL, EMPTY_TUPLE, NEWOBJ, STOP: an object of class "a<ESC>[31m\nb.c<RLO>d".
    const QByteArray bytes = QByteArray("\x80\x04", 2) + shortUnicode("a\x1b[31m\nb")
        + shortUnicode("c\xe2\x80\xae"
                       "d")
        + QByteArray("\x93)\x81.", 4);
    QString repr;
    auto decoded = Pickle::decode(bytes, Pickle::Limits {}, nullptr, &repr);
    QVERIFY2(decoded, qPrintable(decoded ? QString() : decoded.error().message));
    QVERIFY2(repr.startsWith(u"a\\e[31m\\nb.c\\u202Ed("_s), qPrintable(repr));
    for (const QChar c : repr)
        QVERIFY2(c.unicode() >= 0x20 && c.unicode() != 0x7f && c.unicode() != 0x202e, qPrintable(repr));
}

void TestPickle::int64IsExact()
{
    for (const Case& c : std::as_const(m_cases)) {
        if (c.name != u"int64"_s)
            continue;
        auto decoded = Pickle::decode(c.bytes);
        QVERIFY(decoded);
        QCOMPARE(decoded->toInteger(), (qint64(1) << 62) + 5);
        QCOMPARE(compact(decoded.value()), QByteArray("[4611686018427387909]"));
    }
}

void TestPickle::previewLimitsCutLongValues()
{
    for (const Case& c : std::as_const(m_cases)) {
        if (c.name != u"longstr"_s)
            continue;
        Pickle::Limits limits;
        limits.previewChars = 100;
        auto decoded = Pickle::decode(c.bytes, limits);
        QVERIFY(decoded);
        QCOMPARE(decoded->toString().size(), 101);
        QVERIFY(decoded->toString().endsWith(u"…"_s));
    }
}

void TestPickle::hostileInputGivesReasons_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("reason");
    QTest::newRow("empty") << QByteArray() << u"no bytes"_s;
    QTest::newRow("no stop") << QByteArray("\x80\x04K\x01", 4) << u"ends before STOP"_s;
    QTest::newRow("huge BINUNICODE8") << QByteArray("\x80\x04\x8d\xff\xff\xff\xff\xff\xff\xff\x7f", 11)
                                      << u"runs past the end"_s;
    QTest::newRow("huge BINBYTES") << QByteArray("\x80\x03"
                                                 "B\xff\xff\xff\x7f",
        7) << u"runs past the end"_s;
    QTest::newRow("negative BINSTRING") << QByteArray("T\xff\xff\xff\xff.", 6) << u"negative"_s;
    QTest::newRow("huge LONG4") << QByteArray("\x80\x02\x8b\xff\xff\xff\x7f", 7) << u"runs past the end"_s;
    QTest::newRow("huge FRAME") << QByteArray("\x80\x04\x95\xff\xff\xff\xff\xff\xff\xff\xff", 11) << u"FRAME"_s;
    QTest::newRow("protocol 9") << QByteArray("\x80\x09N.", 4) << u"newer than 5"_s;
    QTest::newRow("unknown opcode") << QByteArray("\x80\x04\xffN.", 5) << u"unknown opcode 0xff"_s;
    QTest::newRow("get never put") << QByteArray("\x80\x04h\x07.", 5) << u"never stored"_s;
    QTest::newRow("pop empty") << QByteArray("0.", 2) << u"empty stack"_s;
    QTest::newRow("append to int") << QByteArray("K\x01K\x02"
                                                 "a.",
        6) << u"not a list"_s;
    QTest::newRow("setitems without mark") << QByteArray("}u.", 3) << u"without a MARK"_s;
    QTest::newRow("two values at stop") << QByteArray("NN.", 3) << u"2 values"_s;
    QTest::newRow("out-of-band buffer") << QByteArray("\x80\x05\x97.", 4) << u"out-of-band"_s;
    QTest::newRow("unquoted STRING") << QByteArray("Sabc\n.", 6) << u"not quoted"_s;
    QTest::newRow("INT not a number") << QByteArray("I12x\n.", 6) << u"not a number"_s;
    QTest::newRow("stack global of ints") << QByteArray("K\x01K\x02\x93.", 6) << u"not a str"_s;
}

void TestPickle::hostileInputGivesReasons()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, reason);
    auto decoded = Pickle::decode(bytes);
    QVERIFY(!decoded);
    QVERIFY2(decoded.error().message.startsWith(u"not decodable as a pickle: "_s), qPrintable(decoded.error().message));
    QVERIFY2(decoded.error().message.contains(reason), qPrintable(decoded.error().message));
}

void TestPickle::sharedReferencesAreBounded()
{
    // "Billion laughs": each list holds its predecessor twice; 2^40 references once expanded.
    QByteArray bytes("\x80\x04]\x94"
                     "0",
        5);
    for (int i = 0; i < 40; ++i)
        bytes += QByteArray("(h", 2) + char(i) + QByteArray("h", 1) + char(i)
            + QByteArray("l\x94"
                         "0",
                3);
    bytes += QByteArray("h", 1) + char(40) + '.';
    auto decoded = Pickle::decode(bytes);
    QVERIFY2(decoded, qPrintable(decoded.error().message));
    QVERIFY(compact(decoded.value()).size() < 20 * 1024 * 1024);
    // A list that contains itself, and nesting deeper than the limit.
    auto cyclic = Pickle::decode(QByteArray("\x80\x04]\x94h\x00"
                                            "a.",
        8));
    QVERIFY2(cyclic, qPrintable(cyclic.error().message));
    // Nesting far deeper than the limit, up to the object cap: read, written out and freed
    // without recursion (a recursive teardown overflowed the stack here under ASan).
    const int levels = 900000;
    QByteArray deep("\x80\x04", 2);
    deep += QByteArray(levels, ']');
    deep += QByteArray(levels - 1, 'a');
    deep += '.';
    auto nested = Pickle::decode(deep);
    QVERIFY2(nested, qPrintable(nested.error().message));
    QVERIFY(compact(nested.value()).contains("…"));
    QVERIFY(!Pickle::text(nested.value(), 1000).isEmpty());
}

// One 2,000-character string referenced a million times: a 2 MB pickle (pickle.dumps(['x' * 2000] * 1000000)) whose
// value is 2 G characters. Nodes alone do not bound it (review of stop 50: "Show all" unpickled it whole); maxChars
// does, in the JSON, the repr and the tree alike, and says it cut.
void TestPickle::sharedStringsAreBoundedByCharacters()
{
    const int references = 1000000;
    QByteArray bytes("\x80\x04]\x94(X", 6);
    const quint32 length = 2000;
    for (int shift = 0; shift < 32; shift += 8)
        bytes += char((length >> shift) & 0xffu);
    bytes += QByteArray(int(length), 'x') + '\x94';
    for (int i = 1; i < references; ++i)
        bytes += QByteArray("h\x01", 2);
    bytes += "e.";
    QVERIFY(bytes.size() < 3 * 1024 * 1024);
    Pickle::Limits limits;
    limits.maxNodes = 2 * references; // every reference would be written
    limits.maxChars = 1 << 20;
    bool truncated = false;
    QString repr;
    QJsonValue tree;
    auto decoded = Pickle::decode(bytes, limits, &truncated, &repr, &tree);
    QVERIFY2(decoded, qPrintable(decoded.error().message));
    QVERIFY(truncated);
    QVERIFY2(compact(decoded.value()).size() < 2 * limits.maxChars,
        qPrintable(QString::number(compact(decoded.value()).size())));
    QVERIFY2(repr.size() < 2 * limits.maxChars, qPrintable(QString::number(repr.size())));
    QVERIFY2(repr.startsWith(u"['xxxx"_s) && repr.endsWith(u"… cut at 1000000 items]"_s), qPrintable(repr.right(60)));
    QVERIFY(compact(tree).size() < 4 * limits.maxChars);
}

void TestPickle::mutationFuzz()
{
    // Deterministic: a fixed-seed LCG picks, for each real pickle, byte flips, truncations,
    // insertions of opcode bytes and duplicated spans. Every outcome must be a value or an
    // Error with a reason; ASan/UBSan builds catch what a plain build would not.
    quint64 state = 0x9E3779B97F4A7C15ull;
    auto next = [&state]() {
        state = state * 6364136223846793005ull + 1442695040888963407ull;
        return quint32(state >> 33);
    };
    const QByteArray opcodes("(.0123FGIJKLMNPQRSTUVXabcdeghijlopqrstu}])\x80\x81\x82\x83\x84\x85\x86\x87\x88\x89\x8a"
                             "\x8b\x8c\x8d\x8e\x8f\x90\x91\x92\x93\x94\x95\x96\x97\x98");
    int decoded = 0, rejected = 0;
    for (int round = 0; round < 6; ++round) {
        for (const Case& c : std::as_const(m_cases)) {
            if (c.bytes.size() > 4096)
                continue;
            for (int m = 0; m < 20; ++m) {
                QByteArray bytes = c.bytes;
                const int edits = 1 + int(next() % 4);
                for (int e = 0; e < edits && !bytes.isEmpty(); ++e) {
                    const qsizetype at = qsizetype(next() % quint32(bytes.size()));
                    switch (next() % 5) {
                    case 0:
                        bytes[at] = char(next());
                        break;
                    case 1:
                        bytes.truncate(at);
                        break;
                    case 2:
                        bytes.insert(at, opcodes[qsizetype(next() % quint32(opcodes.size()))]);
                        break;
                    case 3:
                        bytes.insert(at, bytes.mid(at, qsizetype(next() % 16)));
                        break;
                    default:
                        bytes[at] = char(0xff);
                    }
                }
                auto result = Pickle::decode(bytes);
                if (result) {
                    ++decoded;
                    (void)Pickle::text(result.value(), 200);
                } else {
                    ++rejected;
                    QVERIFY2(result.error().message.startsWith(u"not decodable as a pickle: "_s),
                        qPrintable(result.error().message));
                }
            }
        }
    }
    qInfo("mutation fuzz: %d decoded, %d rejected with a reason", decoded, rejected);
    QVERIFY(decoded > 100);
    QVERIFY(rejected > 1000);
}

QTEST_GUILESS_MAIN(TestPickle)
#include "tst_pickle.moc"
