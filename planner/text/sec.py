"""Strings of the security hardening (issue 34): refusals of both services."""

from planner.text import _add_texts

SEC_TEXT: dict[str, tuple[str, str]] = {
    "sec_body_too_large": (
        "请求内容过大（上限 {kb} KB）。",
        "Request body too large (limit {kb} KB).",
    ),
    "sec_at_future": (
        "字段 at（上报时间）：{at} 晚于现在（北京时间 {now}），请填写已发生的时间。",
        "Field at (report time): {at} is later than now ({now} China time); "
        "give a time that has passed.",
    ),
    "sec_replan_busy": (
        "另一次重新规划正在进行，请稍后再试。",
        "Another re-plan is running; try again shortly.",
    ),
    "sec_versions_full": (
        "方案版本已达上限 {n} 个，不能再重新规划；请核对后重新导入方案。",
        "The store already holds {n} plan versions, the limit; no more re-plans. "
        "Check the plan and import it again.",
    ),
    "sec_codes_day": (
        "--day {day} 不在允许范围内：只能是今天（{today}）起 {n} 天内（北京时间）。",
        "--day {day} is out of range: only today ({today}) to {n} days ahead "
        "(China time).",
    ),
    "sec_ops_url_bad": (
        "服务地址不可用：只允许 http(s) 访问已配置的服务地址（{allowed}）。",
        "Service address refused: only http(s) to the configured service address "
        "({allowed}).",
    ),
    "sec_ops_unreachable": (
        "服务没有应答（地址或网络有误，或服务未启动）。",
        "The service did not answer (wrong address, network down, or not running).",
    ),
    "sec_ops_bad_answer": (
        "服务的应答无法识别。",
        "The service's answer could not be read.",
    ),
    "sec_app_error": (
        "页面出错，已记录。请刷新页面；如仍出错，请联系技术支持（无需提供截图中的细节）。",
        "This page hit an error, which has been logged. Reload the page; if it "
        "persists, contact support.",
    ),
    "sec_download_denied": (
        "下载需要已登录的会话。",
        "Downloads need a signed-in session.",
    ),
    "sec_register_reason": (
        "下载带标记的完整名册（含身份证号、电话）需填写理由，并记入审计日志",
        "Reason for downloading the full marked register (ID numbers, phones); "
        "it goes to the audit log",
    ),
}
"""Messages of the hardened services (prefix ``sec_``)."""

_add_texts(SEC_TEXT)
