"""Staff password policy: length and a mix of character classes, configurable."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PasswordPolicy:
    min_length: int = 12
    min_classes: int = 2


def character_classes(password: str) -> int:
    """How many of: lower case, upper case, digits, anything else (incl. Chinese) it mixes."""
    checks = (
        any(ch.islower() for ch in password),
        any(ch.isupper() for ch in password),
        any(ch.isdigit() for ch in password),
        any(not (ch.isascii() and ch.isalnum()) for ch in password),
    )
    return sum(checks)


def password_problems(password: str, policy: PasswordPolicy, username: str = "") -> list[str]:
    """Why ``password`` is refused, in Chinese; empty when it is acceptable."""
    problems: list[str] = []
    if len(password) < policy.min_length:
        problems.append(f"密码至少需要 {policy.min_length} 个字符。")
    if character_classes(password) < policy.min_classes:
        problems.append(f"密码需要混合至少 {policy.min_classes} 类字符"
                        "（小写字母、大写字母、数字、其他符号或汉字）。")
    if username and username.lower() in password.lower():
        problems.append("密码不能包含用户名。")
    if password and len(set(password)) <= 2:
        problems.append("密码不能由一两个字符重复组成。")
    return problems
