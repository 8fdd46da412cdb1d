#include "runtime/devicefilter.h"

#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/bpf.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <vector>

namespace porthole::runtime {

namespace {

// Registers: r1 is the context on entry; r2 type, r3 access, r4 major,
// r5 minor once loaded; r6 scratch; r0 the verdict.
bpf_insn insn(quint8 code, quint8 dst, quint8 src, qint16 off, qint32 imm)
{
    bpf_insn i{};
    i.code = code;
    i.dst_reg = dst & 0xf;
    i.src_reg = src & 0xf;
    i.off = off;
    i.imm = imm;
    return i;
}

bpf_insn loadField(quint8 dst, qint16 offset) { return insn(BPF_LDX | BPF_MEM | BPF_W, dst, 1, offset, 0); }
bpf_insn alu32(quint8 op, quint8 dst, qint32 imm) { return insn(BPF_ALU | op | BPF_K, dst, 0, 0, imm); }
bpf_insn moveReg(quint8 dst, quint8 src) { return insn(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, 0, 0); }
bpf_insn moveImm(quint8 dst, qint32 imm) { return insn(BPF_ALU64 | BPF_MOV | BPF_K, dst, 0, 0, imm); }
bpf_insn jumpImm(quint8 op, quint8 dst, qint32 imm, qint16 off) { return insn(BPF_JMP | op | BPF_K, dst, 0, off, imm); }
bpf_insn exitInsn() { return insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0); }

qint32 accessBits(const QString &access)
{
    qint32 bits = 0;
    if (access.contains(u'm'))
        bits |= BPF_DEVCG_ACC_MKNOD;
    if (access.contains(u'r'))
        bits |= BPF_DEVCG_ACC_READ;
    if (access.contains(u'w'))
        bits |= BPF_DEVCG_ACC_WRITE;
    return bits;
}

// One rule: the checks that skip to the next rule on a mismatch, then the
// verdict. Jump offsets are counted to the end of this block.
std::vector<bpf_insn> ruleBlock(const DeviceRule &r)
{
    std::vector<bpf_insn> checks;
    if (r.type != 'a')
        checks.push_back(jumpImm(BPF_JNE, 2, r.type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR, 0));
    if (r.major >= 0)
        checks.push_back(jumpImm(BPF_JNE, 4, qint32(r.major), 0));
    if (r.minor >= 0)
        checks.push_back(jumpImm(BPF_JNE, 5, qint32(r.minor), 0));
    const qint32 bits = accessBits(r.access);
    checks.push_back(moveReg(6, 3));
    if (r.allow) {
        // Allowed only if nothing asked for lies outside the rule's access.
        checks.push_back(alu32(BPF_AND, 6, ~bits & 7));
        checks.push_back(jumpImm(BPF_JNE, 6, 0, 0));
    } else {
        // Denied if anything asked for lies inside it.
        checks.push_back(alu32(BPF_AND, 6, bits));
        checks.push_back(jumpImm(BPF_JEQ, 6, 0, 0));
    }
    std::vector<bpf_insn> block = checks;
    block.push_back(moveImm(0, r.allow ? 1 : 0));
    block.push_back(exitInsn());
    // Every conditional jump leaves the block (to the next rule).
    for (size_t i = 0; i < block.size(); ++i) {
        if (BPF_CLASS(block[i].code) == BPF_JMP && BPF_OP(block[i].code) != BPF_EXIT)
            block[i].off = qint16(block.size() - i - 1);
    }
    return block;
}

long bpf(int cmd, bpf_attr &attr) { return ::syscall(SYS_bpf, cmd, &attr, sizeof attr); }

} // namespace

QByteArray deviceFilterProgram(const QList<DeviceRule> &rules)
{
    std::vector<bpf_insn> code = {
        loadField(2, 0), alu32(BPF_AND, 2, 0xffff), // type
        loadField(3, 0), alu32(BPF_RSH, 3, 16),     // access
        loadField(4, 4),                            // major
        loadField(5, 8),                            // minor
    };
    for (qsizetype i = rules.size() - 1; i >= 0; --i) {
        const std::vector<bpf_insn> block = ruleBlock(rules[i]);
        code.insert(code.end(), block.begin(), block.end());
    }
    code.push_back(moveImm(0, 0));
    code.push_back(exitInsn());
    return QByteArray(reinterpret_cast<const char *>(code.data()), qsizetype(code.size() * sizeof(bpf_insn)));
}

Status attachDeviceFilter(const QString &cgroupDir, const QByteArray &program)
{
    const QString step = QStringLiteral("apply the device rules to %1").arg(cgroupDir);
    static const char license[] = "Apache-2.0";
    auto load = [&](char *log, quint32 logSize) {
        bpf_attr attr;
        std::memset(&attr, 0, sizeof attr);
        attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
        attr.insn_cnt = quint32(program.size() / qsizetype(sizeof(bpf_insn)));
        attr.insns = quint64(reinterpret_cast<quintptr>(program.constData()));
        attr.license = quint64(reinterpret_cast<quintptr>(license));
        attr.log_buf = quint64(reinterpret_cast<quintptr>(log));
        attr.log_size = logSize;
        attr.log_level = log ? 1 : 0;
        return int(bpf(BPF_PROG_LOAD, attr));
    };
    // Without a log first: a log that does not fit fails the load (ENOSPC).
    int progFd = load(nullptr, 0);
    if (progFd < 0) {
        const int err = errno;
        // Again with the verifier's words, for the message.
        std::vector<char> log(1 << 16, '\0');
        progFd = load(log.data(), quint32(log.size()));
        if (progFd < 0) {
            const QString said = QString::fromLatin1(log.data()).trimmed().right(300);
            return Error::fromErrno(step + QStringLiteral(": load the BPF program (%1)").arg(said), err);
        }
    }
    const int cgroupFd = ::open(QFile::encodeName(cgroupDir).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (cgroupFd < 0) {
        const int err = errno;
        ::close(progFd);
        return Error::fromErrno(step, err);
    }
    bpf_attr attach;
    std::memset(&attach, 0, sizeof attach);
    attach.target_fd = quint32(cgroupFd);
    attach.attach_bpf_fd = quint32(progFd);
    attach.attach_type = BPF_CGROUP_DEVICE;
    attach.attach_flags = BPF_F_ALLOW_MULTI;
    const long rc = bpf(BPF_PROG_ATTACH, attach);
    const int err = errno;
    ::close(cgroupFd);
    ::close(progFd); // the attachment holds its own reference
    if (rc != 0)
        return Error::fromErrno(step + QStringLiteral(": attach the BPF program"), err);
    return {};
}

} // namespace porthole::runtime
