// Small interpreters for the two BPF programs the runtime writes, so their
// rules can be checked one by one without a kernel:
//   - classic BPF as seccomp runs it over struct seccomp_data;
//   - the eBPF subset of cgroup device programs (runtime/devicefilter.cpp).
// An instruction outside the subset fails the run (the test then says so),
// rather than being guessed at.
#pragma once

#include <QByteArray>

#include <cstring>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <optional>

namespace porthole::test {

// The action a seccomp program returns for one call; nullopt: the program
// used an instruction this interpreter does not know, or ran off its end.
inline std::optional<quint32> runSeccomp(const QByteArray &program, int nr, quint32 arch, const quint64 (&args)[6] = {})
{
    seccomp_data data{};
    data.nr = nr;
    data.arch = arch;
    for (int i = 0; i < 6; ++i)
        data.args[i] = args[i];
    const auto *code = reinterpret_cast<const sock_filter *>(program.constData());
    const int count = int(program.size() / sizeof(sock_filter));
    quint32 a = 0, x = 0;
    quint32 mem[BPF_MEMWORDS] = {};
    for (int pc = 0; pc < count; ++pc) {
        const sock_filter &i = code[pc];
        switch (i.code) {
        case BPF_LD | BPF_W | BPF_ABS:
            if (i.k + 4 > sizeof data)
                return std::nullopt;
            std::memcpy(&a, reinterpret_cast<const char *>(&data) + i.k, 4);
            break;
        case BPF_LD | BPF_IMM: a = i.k; break;
        case BPF_LDX | BPF_IMM: x = i.k; break;
        case BPF_LD | BPF_MEM: a = mem[i.k % BPF_MEMWORDS]; break;
        case BPF_LDX | BPF_MEM: x = mem[i.k % BPF_MEMWORDS]; break;
        case BPF_ST: mem[i.k % BPF_MEMWORDS] = a; break;
        case BPF_STX: mem[i.k % BPF_MEMWORDS] = x; break;
        case BPF_ALU | BPF_AND | BPF_K: a &= i.k; break;
        case BPF_ALU | BPF_OR | BPF_K: a |= i.k; break;
        case BPF_MISC | BPF_TAX: x = a; break;
        case BPF_MISC | BPF_TXA: a = x; break;
        case BPF_JMP | BPF_JA: pc += int(i.k); break;
        case BPF_JMP | BPF_JEQ | BPF_K: pc += a == i.k ? i.jt : i.jf; break;
        case BPF_JMP | BPF_JGT | BPF_K: pc += a > i.k ? i.jt : i.jf; break;
        case BPF_JMP | BPF_JGE | BPF_K: pc += a >= i.k ? i.jt : i.jf; break;
        case BPF_JMP | BPF_JSET | BPF_K: pc += (a & i.k) ? i.jt : i.jf; break;
        case BPF_JMP | BPF_JEQ | BPF_X: pc += a == x ? i.jt : i.jf; break;
        case BPF_JMP | BPF_JGT | BPF_X: pc += a > x ? i.jt : i.jf; break;
        case BPF_JMP | BPF_JGE | BPF_X: pc += a >= x ? i.jt : i.jf; break;
        case BPF_RET | BPF_K: return i.k;
        case BPF_RET | BPF_A: return a;
        default: return std::nullopt;
        }
    }
    return std::nullopt;
}

// The verdict of a cgroup device program (1 allow, 0 deny) for one access;
// nullopt as above.
inline std::optional<int> runDeviceProgram(const QByteArray &program, quint32 type, quint32 access, quint32 major, quint32 minor)
{
    const quint32 ctx[3] = {(access << 16) | type, major, minor};
    const auto *code = reinterpret_cast<const bpf_insn *>(program.constData());
    const int count = int(program.size() / sizeof(bpf_insn));
    quint64 r[11] = {};
    for (int pc = 0; pc < count; ++pc) {
        const bpf_insn &i = code[pc];
        switch (i.code) {
        case BPF_LDX | BPF_MEM | BPF_W:
            if (i.src_reg != 1 || i.off < 0 || i.off > 8 || i.off % 4)
                return std::nullopt;
            r[i.dst_reg] = ctx[i.off / 4];
            break;
        case BPF_ALU | BPF_AND | BPF_K: r[i.dst_reg] = quint32(r[i.dst_reg]) & quint32(i.imm); break;
        case BPF_ALU | BPF_RSH | BPF_K: r[i.dst_reg] = quint32(r[i.dst_reg]) >> i.imm; break;
        case BPF_ALU64 | BPF_MOV | BPF_X: r[i.dst_reg] = r[i.src_reg]; break;
        case BPF_ALU64 | BPF_MOV | BPF_K: r[i.dst_reg] = quint64(qint64(i.imm)); break;
        case BPF_JMP | BPF_JNE | BPF_K: pc += r[i.dst_reg] != quint64(qint64(i.imm)) ? i.off : 0; break;
        case BPF_JMP | BPF_JEQ | BPF_K: pc += r[i.dst_reg] == quint64(qint64(i.imm)) ? i.off : 0; break;
        case BPF_JMP | BPF_EXIT: return int(r[0]);
        default: return std::nullopt;
        }
    }
    return std::nullopt;
}

} // namespace porthole::test
