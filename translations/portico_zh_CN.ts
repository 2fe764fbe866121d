<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AutostartEntry</name>
    <message>
        <source>%1 could not be removed.</source>
        <translation>无法删除 %1。</translation>
    </message>
    <message>
        <source>%1 could not be written: %2</source>
        <translation>无法写入 %1：%2</translation>
    </message>
</context>
<context>
    <name>HeadlessRunner</name>
    <message numerus="yes">
        <source>portico: the session log&apos;s last line was cut off (%n bytes), probably by a crash; it was set aside in %1</source>
        <translation>
            <numerusform>portico: 会话日志的最后一行被截断（%n 字节），可能是程序崩溃所致；已将其另存到 %1</numerusform>
        </translation>
    </message>
    <message>
        <source>portico: cannot write the session log: %1</source>
        <translation>portico: 无法写入会话日志：%1</translation>
    </message>
    <message>
        <source>portico: configuration error: %1</source>
        <translation>portico: 配置错误：%1</translation>
    </message>
    <message>
        <source>portico: the session log is off: %1</source>
        <translation>portico: 会话日志已关闭：%1</translation>
    </message>
    <message>
        <source>portico: %1</source>
        <translation>portico: %1</translation>
    </message>
    <message>
        <source>Portico %1 listening on %2 (chat completions endpoint %3; config %4)</source>
        <translation>Portico %1 正在监听 %2（聊天补全端点：%3；配置：%4）</translation>
    </message>
    <message>
        <source>enabled</source>
        <translation>已启用</translation>
    </message>
    <message>
        <source>disabled</source>
        <translation>已禁用</translation>
    </message>
    <message>
        <source>portico: no client token is configured: every request will get 401. Set PORTICO_GATEWAY_TOKEN or run &apos;portico token&apos;.</source>
        <translation>portico: 未配置客户端令牌：所有请求都将收到 401。请设置 PORTICO_GATEWAY_TOKEN 或运行 &apos;portico token&apos;。</translation>
    </message>
    <message>
        <source>portico: configuration not reloaded, keeping the running one: %1</source>
        <translation>portico: 未重新加载配置，继续使用正在运行的配置：%1</translation>
    </message>
    <message>
        <source>portico: configuration not applied, keeping the running one: %1</source>
        <translation>portico: 未应用配置，继续使用正在运行的配置：%1</translation>
    </message>
    <message>
        <source>portico: configuration reloaded</source>
        <translation>portico: 已重新加载配置</translation>
    </message>
    <message>
        <source>portico: chat completions endpoint enabled</source>
        <translation>portico: 已启用聊天补全端点</translation>
    </message>
    <message>
        <source>portico: chat completions endpoint disabled</source>
        <translation>portico: 已禁用聊天补全端点</translation>
    </message>
    <message>
        <source>portico: signal %1 received, stopping</source>
        <translation>portico: 收到信号 %1，正在停止</translation>
    </message>
</context>
<context>
    <name>Options</name>
    <message>
        <source>Portico: a local OpenAI-compatible LLM gateway.

Commands:
  portico                 start the tray application (headless without a display)
  portico --headless      run the gateway with no GUI
  portico token           print a client token (--name, --list, --revoke)
  portico log             print the session log (--session, --since, --json)</source>
        <translation>Portico：本地 OpenAI 兼容 LLM 网关。

命令：
  portico                 启动托盘应用（没有显示环境时以无界面模式运行）
  portico --headless      以无界面模式运行网关
  portico token           输出客户端令牌（--name、--list、--revoke）
  portico log             输出会话日志（--session、--since、--json）</translation>
    </message>
    <message>
        <source>Run the gateway without a GUI.</source>
        <translation>以无界面模式运行网关。</translation>
    </message>
    <message>
        <source>Read the configuration from &lt;file&gt;.</source>
        <translation>从 &lt;文件&gt; 读取配置。</translation>
    </message>
    <message>
        <source>file</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Listen on &lt;address&gt; instead of the configured one.</source>
        <translation>监听 &lt;地址&gt;，而不是配置中的地址。</translation>
    </message>
    <message>
        <source>address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>Listen on &lt;port&gt; instead of the configured one.</source>
        <translation>监听 &lt;端口&gt;，而不是配置中的端口。</translation>
    </message>
    <message>
        <source>port</source>
        <translation>端口</translation>
    </message>
    <message>
        <source>Use &lt;language&gt; (e.g. zh_CN) instead of the system&apos;s.</source>
        <translation>使用 &lt;语言&gt;（例如 zh_CN），而不是系统语言。</translation>
    </message>
    <message>
        <source>language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Try &apos;portico --help&apos;.</source>
        <translation>请尝试 &apos;portico --help&apos;。</translation>
    </message>
    <message>
        <source>unknown command &apos;%1&apos;; try &apos;portico --help&apos;.</source>
        <translation>未知命令 &apos;%1&apos;；请尝试 &apos;portico --help&apos;。</translation>
    </message>
    <message>
        <source>--port takes a number from 0 to 65535.</source>
        <translation>--port 需要 0 到 65535 之间的数字。</translation>
    </message>
</context>
<context>
    <name>Subcommands</name>
    <message>
        <source>portico: configuration error: %1</source>
        <translation>portico: 配置错误：%1</translation>
    </message>
    <message>
        <source>portico: built without keychain support (BUILD_KEYCHAIN=OFF); set PORTICO_GATEWAY_TOKEN instead.</source>
        <translation>portico: 构建时未启用钥匙串支持（BUILD_KEYCHAIN=OFF）；请改为设置 PORTICO_GATEWAY_TOKEN。</translation>
    </message>
</context>
<context>
    <name>TrayApp</name>
    <message>
        <source>The endpoint failed to start</source>
        <translation>端点启动失败</translation>
    </message>
    <message>
        <source>Token used for the first time</source>
        <translation>令牌首次被使用</translation>
    </message>
    <message>
        <source>A client just used the token &quot;%1&quot;.</source>
        <translation>有客户端刚刚使用了令牌“%1”。</translation>
    </message>
    <message>
        <source>The configuration is invalid</source>
        <translation>配置无效</translation>
    </message>
    <message>
        <source>This desktop has no system tray, so Portico runs in this window instead of as a tray icon. Closing the window quits Portico and stops the endpoint.</source>
        <translation>此桌面没有系统托盘，因此 Portico 在此窗口中运行，而不是显示为托盘图标。关闭窗口将退出 Portico 并停止端点。</translation>
    </message>
    <message>
        <source>Portico runs in this window. Closing it quits Portico and stops the endpoint.</source>
        <translation>Portico 在此窗口中运行。关闭窗口将退出 Portico 并停止端点。</translation>
    </message>
    <message>
        <source>The default token could not be saved</source>
        <translation>无法保存默认令牌</translation>
    </message>
    <message>
        <source>The keychain is unavailable</source>
        <translation>钥匙串不可用</translation>
    </message>
    <message>
        <source>The endpoint could not be switched on</source>
        <translation>无法开启端点</translation>
    </message>
    <message>
        <source>The endpoint could not be switched off</source>
        <translation>无法关闭端点</translation>
    </message>
    <message>
        <source>There is no token to copy. Create one in Settings → Access.</source>
        <translation>没有可复制的令牌。请在“设置 → 访问控制”中创建一个。</translation>
    </message>
    <message>
        <source>No token</source>
        <translation>没有令牌</translation>
    </message>
    <message>
        <source>The token could not be copied</source>
        <translation>无法复制令牌</translation>
    </message>
    <message>
        <source>Quit Portico</source>
        <translation>退出 Portico</translation>
    </message>
    <message>
        <source>1 stream is still live. Quitting cuts it off.</source>
        <translation>仍有 1 个流式请求正在进行。退出会将其中断。</translation>
    </message>
    <message numerus="yes">
        <source>%n streams are still live. Quitting cuts them off.</source>
        <translation>
            <numerusform>仍有 %n 个流式请求正在进行。退出会将其中断。</numerusform>
        </translation>
    </message>
    <message>
        <source>Quit anyway</source>
        <translation>仍然退出</translation>
    </message>
    <message>
        <source>The session log was repaired</source>
        <translation>会话日志已修复</translation>
    </message>
    <message numerus="yes">
        <source>Its last line was cut off (%n bytes), probably by a crash; it was set aside in %1.</source>
        <translation>
            <numerusform>其最后一行被截断（%n 字节），可能是程序崩溃所致；已将其另存到 %1。</numerusform>
        </translation>
    </message>
    <message>
        <source>The session log cannot be written</source>
        <translation>无法写入会话日志</translation>
    </message>
    <message>
        <source>The session log is off</source>
        <translation>会话日志已关闭</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>portico: --bind and --port only apply with --headless; the tray application uses the address from its settings.</source>
        <translation>portico: --bind 和 --port 仅在 --headless 模式下生效；托盘应用使用其设置中的地址。</translation>
    </message>
    <message>
        <source>portico: already running; its settings window was opened.</source>
        <translation>portico: 已在运行；已打开其设置窗口。</translation>
    </message>
    <message>
        <source>portico: built without the tray application (BUILD_UI=OFF); running headless.</source>
        <translation>portico: 构建时未包含托盘应用（BUILD_UI=OFF）；以无界面模式运行。</translation>
    </message>
</context>
<context>
    <name>portico::AccessPage</name>
    <message>
        <source>Access</source>
        <translation>访问控制</translation>
    </message>
    <message>
        <source>Authentication</source>
        <translation>身份验证</translation>
    </message>
    <message>
        <source>Tokens (one per program)</source>
        <translation>令牌（每个程序一个）</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <source>None (this computer only)</source>
        <translation>无（仅限本机）</translation>
    </message>
    <message>
        <source>Clients authenticate with:</source>
        <translation>客户端验证方式：</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>令牌</translation>
    </message>
    <message>
        <source>New token…</source>
        <translation>新建令牌…</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Rename token</source>
        <translation>重命名令牌</translation>
    </message>
    <message>
        <source>New name for &quot;%1&quot;:</source>
        <translation>“%1”的新名称：</translation>
    </message>
    <message>
        <source>Revoke…</source>
        <translation>吊销…</translation>
    </message>
    <message>
        <source>Set password…</source>
        <translation>设置密码…</translation>
    </message>
    <message>
        <source>There is no token yet: every request gets 401. Create one.</source>
        <translation>还没有令牌：所有请求都会收到 401。请创建一个。</translation>
    </message>
    <message>
        <source>A client sends one of these tokens as its API key.</source>
        <translation>客户端将其中一个令牌作为 API 密钥发送。</translation>
    </message>
    <message>
        <source>A client sends the password as its API key; tokens are not accepted in this mode.</source>
        <translation>客户端将密码作为 API 密钥发送；此模式下不接受令牌。</translation>
    </message>
    <message>
        <source>Any program on this computer can use the gateway without a key. Only allowed while Portico listens on a loopback address.</source>
        <translation>本机上的任何程序都可以不用密钥使用网关。仅当 Portico 监听环回地址时才允许此模式。</translation>
    </message>
    <message>
        <source>A password is stored in the keychain.</source>
        <translation>钥匙串中已存储密码。</translation>
    </message>
    <message>
        <source>No password is set: every request gets 401 until you set one.</source>
        <translation>未设置密码：在你设置密码之前，所有请求都会收到 401。</translation>
    </message>
    <message>
        <source>No password is set. It is only used in password mode.</source>
        <translation>未设置密码。密码仅在密码模式下使用。</translation>
    </message>
    <message>
        <source>The mode was not changed: %1</source>
        <translation>未更改验证方式：%1</translation>
    </message>
    <message>
        <source>Token &quot;%1&quot; created.</source>
        <translation>已创建令牌“%1”。</translation>
    </message>
    <message>
        <source>The password was stored in the keychain.</source>
        <translation>密码已存入钥匙串。</translation>
    </message>
    <message>
        <source>Token &quot;%1&quot; copied to the clipboard.</source>
        <translation>已将令牌“%1”复制到剪贴板。</translation>
    </message>
    <message>
        <source>Token renamed to &quot;%1&quot;.</source>
        <translation>令牌已重命名为“%1”。</translation>
    </message>
    <message>
        <source>Revoke token</source>
        <translation>吊销令牌</translation>
    </message>
    <message>
        <source>Revoke the token &quot;%1&quot;? Programs that use it get 401 from their next request. This cannot be undone.</source>
        <translation>要吊销令牌“%1”吗？使用它的程序从下一个请求起将收到 401。此操作无法撤消。</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>吊销</translation>
    </message>
    <message>
        <source>The token was not revoked: %1</source>
        <translation>未吊销令牌：%1</translation>
    </message>
    <message>
        <source>Token &quot;%1&quot; revoked.</source>
        <translation>已吊销令牌“%1”。</translation>
    </message>
    <message>
        <source>Token &quot;%1&quot; is revoked, but its secret could not be removed from the keychain: %2</source>
        <translation>令牌“%1”已吊销，但无法从钥匙串中删除其令牌值：%2</translation>
    </message>
    <message>
        <source>Remove password…</source>
        <translation>删除密码…</translation>
    </message>
    <message>
        <source>Remove password</source>
        <translation>删除密码</translation>
    </message>
    <message>
        <source>Remove the password from the keychain? Portico is in password mode: every request gets 401 until you set a new one or change the mode.</source>
        <translation>要从钥匙串中删除密码吗？Portico 处于密码模式：在你设置新密码或更改模式之前，每个请求都会得到 401。</translation>
    </message>
    <message>
        <source>Remove the password from the keychain?</source>
        <translation>要从钥匙串中删除密码吗？</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>The password was not removed: %1</source>
        <translation>密码未删除：%1</translation>
    </message>
    <message>
        <source>The password was removed from the keychain.</source>
        <translation>密码已从钥匙串中删除。</translation>
    </message>
</context>
<context>
    <name>portico::AgentDialog</name>
    <message>
        <source>Edit agent %1</source>
        <translation>编辑智能体 %1</translation>
    </message>
    <message>
        <source>Add agent</source>
        <translation>添加智能体</translation>
    </message>
    <message>
        <source>Agent:</source>
        <translation>智能体：</translation>
    </message>
    <message>
        <source>diagnostic (built in)</source>
        <translation>诊断（内置）</translation>
    </message>
    <message>
        <source>Provider:</source>
        <translation>提供方：</translation>
    </message>
    <message>
        <source>empty: the model the client asks for</source>
        <translation>留空：使用客户端请求的模型</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>optional; sent as the first system message</source>
        <translation>可选；作为第一条系统消息发送</translation>
    </message>
    <message>
        <source>System prompt:</source>
        <translation>系统提示词：</translation>
    </message>
    <message>
        <source>An agent needs a name, such as &quot;coder&quot;.</source>
        <translation>智能体需要一个名称，例如“coder”。</translation>
    </message>
</context>
<context>
    <name>portico::AgentTableModel</name>
    <message>
        <source>(as requested)</source>
        <translation>（按请求）</translation>
    </message>
    <message>
        <source>The client&apos;s model</source>
        <translation>客户端请求的模型</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>系统提示词</translation>
    </message>
</context>
<context>
    <name>portico::AgentsPage</name>
    <message>
        <source>Agents &amp; routes</source>
        <translation>智能体与路由</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>智能体</translation>
    </message>
    <message>
        <source>A client picks an agent with the model &quot;agent:&lt;name&gt;&quot; or the X-Portico-Agent-Id header.</source>
        <translation>客户端通过模型名“agent:&lt;名称&gt;”或 X-Portico-Agent-Id 请求头选择智能体。</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Model routes</source>
        <translation>模型路由</translation>
    </message>
    <message>
        <source>Checked from top to bottom; the first pattern that matches the requested model decides.</source>
        <translation>从上到下依次检查；第一个与所请求模型匹配的模式决定去向。</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>Agent &quot;%1&quot; saved.</source>
        <translation>已保存智能体“%1”。</translation>
    </message>
    <message>
        <source>Agent &quot;%1&quot; removed.</source>
        <translation>已删除智能体“%1”。</translation>
    </message>
    <message>
        <source>The agent was not removed: %1</source>
        <translation>未删除智能体：%1</translation>
    </message>
    <message>
        <source>Route &quot;%1&quot; saved.</source>
        <translation>已保存路由“%1”。</translation>
    </message>
    <message>
        <source>The route was not removed: %1</source>
        <translation>未删除路由：%1</translation>
    </message>
</context>
<context>
    <name>portico::GeneralPage</name>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Endpoint</source>
        <translation>端点</translation>
    </message>
    <message>
        <source>Answer chat completions (/v1/chat/completions, /v1/models)</source>
        <translation>响应聊天补全请求（/v1/chat/completions、/v1/models）</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>地址</translation>
    </message>
    <message>
        <source>127.0.0.1 or ::1 keeps Portico on this computer. Any other address makes it reachable from the network and needs a token or password.</source>
        <translation>使用 127.0.0.1 或 ::1 时，Portico 仅限本机访问。使用其他地址会使其可从网络访问，并且需要令牌或密码。</translation>
    </message>
    <message>
        <source>Listen on address:</source>
        <translation>监听地址：</translation>
    </message>
    <message>
        <source>any free port</source>
        <translation>任意空闲端口</translation>
    </message>
    <message>
        <source>Apply</source>
        <translation>应用</translation>
    </message>
    <message>
        <source>Revert</source>
        <translation>还原</translation>
    </message>
    <message>
        <source>Port:</source>
        <translation>端口：</translation>
    </message>
    <message>
        <source>Connect a client</source>
        <translation>连接客户端</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>基础 URL：</translation>
    </message>
    <message>
        <source>Copy curl example</source>
        <translation>复制 curl 示例</translation>
    </message>
    <message>
        <source>The example reads the token from $PORTICO_TOKEN; it never contains the token itself.</source>
        <translation>示例从 $PORTICO_TOKEN 读取令牌，其中绝不包含令牌本身。</translation>
    </message>
    <message>
        <source>Example:</source>
        <translation>示例：</translation>
    </message>
    <message>
        <source>Startup</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>Start Portico when I log in</source>
        <translation>登录时启动 Portico</translation>
    </message>
    <message>
        <source>Configuration file</source>
        <translation>配置文件</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <source>Reload from disk</source>
        <translation>从磁盘重新加载</translation>
    </message>
    <message>
        <source>Read the file again after editing it by hand.</source>
        <translation>手动编辑文件后重新读取。</translation>
    </message>
    <message>
        <source>The endpoint could not be switched: %1</source>
        <translation>无法切换端点：%1</translation>
    </message>
    <message>
        <source>Other computers will be able to reach Portico on this address. Requests still need a token or the password.</source>
        <translation>其他计算机将能通过此地址访问 Portico。请求仍需提供令牌或密码。</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IP address. Use 127.0.0.1 to stay on this computer, or 0.0.0.0 for every network.</source>
        <translation>“%1”不是 IP 地址。使用 127.0.0.1 仅限本机访问，或使用 0.0.0.0 监听所有网络。</translation>
    </message>
    <message>
        <source>%1
Nothing was changed: Portico keeps answering on %2.</source>
        <translation>%1
未做任何更改：Portico 继续在 %2 上响应。</translation>
    </message>
    <message>
        <source>Not listening: %1</source>
        <translation>未在监听：%1</translation>
    </message>
    <message>
        <source>Answering on %1</source>
        <translation>正在 %1 上响应</translation>
    </message>
    <message>
        <source>Listening on %1, but every /v1 request gets 404 until the endpoint is switched on.</source>
        <translation>正在监听 %1，但在开启端点之前，所有 /v1 请求都会收到 404。</translation>
    </message>
</context>
<context>
    <name>portico::LogCommand</name>
    <message>
        <source>Usage: portico log [options]
Prints the session log, oldest first.

Options:
  --session KEY   only the records of this session
  --since TIME    only records from TIME on
  --until TIME    only records before TIME
  --agent NAME    only this agent&apos;s records
  --model NAME    only records for this upstream model
  --status CODE   only this HTTP status (e.g. 429) or class (e.g. 5xx)
  --grep TEXT     only records whose JSON contains TEXT (any case)
  -n, --limit N   only the newest N records
  --json          print the records as JSON Lines
  -h, --help      show this help

TIME is ISO 8601 (2024-05-01, 2024-05-01T13:45:00, UTC unless it has an offset)
or a span back from now: 30s, 15m, 2h, 3d, 1w.
</source>
        <translation>用法：portico log [选项]
打印会话日志，最早的在前。

选项：
  --session KEY   只显示该会话的记录
  --since TIME    只显示 TIME 及之后的记录
  --until TIME    只显示 TIME 之前的记录
  --agent NAME    只显示该智能体的记录
  --model NAME    只显示该上游模型的记录
  --status CODE   只显示该 HTTP 状态码（如 429）或类别（如 5xx）
  --grep TEXT     只显示 JSON 中包含 TEXT 的记录（不区分大小写）
  -n, --limit N   只显示最新的 N 条记录
  --json          以 JSON Lines 格式打印记录
  -h, --help      显示此帮助

TIME 为 ISO 8601 格式（2024-05-01、2024-05-01T13:45:00，未带时区偏移时按 UTC）
或从现在往前的时长：30s、15m、2h、3d、1w。
</translation>
    </message>
    <message>
        <source>%1 takes no value.</source>
        <translation>%1 不接受值。</translation>
    </message>
    <message>
        <source>Unknown argument &quot;%1&quot;.</source>
        <translation>未知参数“%1”。</translation>
    </message>
    <message>
        <source>%1 needs a value.</source>
        <translation>%1 需要一个值。</translation>
    </message>
    <message>
        <source>Invalid value for %1: &quot;%2&quot;.</source>
        <translation>%1 的值无效：“%2”。</translation>
    </message>
    <message>
        <source>portico log: no session log in %1</source>
        <translation>portico log：%1 中没有会话日志</translation>
    </message>
    <message>
        <source>portico log: cannot read %1</source>
        <translation>portico log：无法读取 %1</translation>
    </message>
</context>
<context>
    <name>portico::LogTableModel</name>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 → %2</source>
        <translation>%1 → %2</translation>
    </message>
    <message>
        <source>%1 prompt, %2 completion, %3 total tokens</source>
        <translation>提示 %1，补全 %2，共 %3 个 Token</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态码</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>First token</source>
        <translation>首 Token 延迟</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token 数</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
</context>
<context>
    <name>portico::LogView</name>
    <message>
        <source>Session log</source>
        <translation>会话日志</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>复制为 curl 命令</translation>
    </message>
    <message>
        <source>Export selection…</source>
        <translation>导出所选…</translation>
    </message>
    <message>
        <source>Copies a curl command that sends the selected request again; it reads the token from $PORTICO_TOKEN.</source>
        <translation>复制一条重新发送所选请求的 curl 命令；该命令从 $PORTICO_TOKEN 读取令牌。</translation>
    </message>
    <message numerus="yes">
        <source>%n record(s)</source>
        <translation>
            <numerusform>%n 条记录</numerusform>
        </translation>
    </message>
    <message>
        <source>loading… %1%</source>
        <translation>正在加载… %1%</translation>
    </message>
    <message numerus="yes">
        <source>%n unreadable line(s) skipped</source>
        <translation>
            <numerusform>已跳过 %n 行无法读取的内容</numerusform>
        </translation>
    </message>
    <message>
        <source>This record can no longer be read (the log file changed).</source>
        <translation>无法再读取此记录（日志文件已更改）。</translation>
    </message>
    <message>
        <source>This record has no messages: the log keeps only metadata.</source>
        <translation>此记录不含消息：日志只保留元数据。</translation>
    </message>
    <message>
        <source>Copied a curl command; set PORTICO_TOKEN before running it.</source>
        <translation>已复制 curl 命令；运行前请先设置 PORTICO_TOKEN。</translation>
    </message>
    <message>
        <source>Select the records to export first.</source>
        <translation>请先选择要导出的记录。</translation>
    </message>
    <message>
        <source>Export records</source>
        <translation>导出记录</translation>
    </message>
    <message>
        <source>JSON Lines (*.jsonl);;All files (*)</source>
        <translation>JSON Lines (*.jsonl);;所有文件 (*)</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n record(s).</source>
        <translation>
            <numerusform>已导出 %n 条记录。</numerusform>
        </translation>
    </message>
    <message>
        <source>Export failed: %1</source>
        <translation>导出失败：%1</translation>
    </message>
</context>
<context>
    <name>portico::LogViewFilterBar</name>
    <message>
        <source>Any session</source>
        <translation>所有会话</translation>
    </message>
    <message>
        <source>Session filter</source>
        <translation>会话筛选</translation>
    </message>
    <message>
        <source>Any agent</source>
        <translation>所有智能体</translation>
    </message>
    <message>
        <source>Agent filter</source>
        <translation>智能体筛选</translation>
    </message>
    <message>
        <source>Any model</source>
        <translation>所有模型</translation>
    </message>
    <message>
        <source>Model filter</source>
        <translation>模型筛选</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>任意时间</translation>
    </message>
    <message>
        <source>Last hour</source>
        <translation>最近 1 小时</translation>
    </message>
    <message>
        <source>Last 24 hours</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>最近 7 天</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>最近 30 天</translation>
    </message>
    <message>
        <source>Custom range</source>
        <translation>自定义范围</translation>
    </message>
    <message>
        <source>Time range</source>
        <translation>时间范围</translation>
    </message>
    <message>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <source>Until</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Any status</source>
        <translation>所有状态码</translation>
    </message>
    <message>
        <source>Success (2xx)</source>
        <translation>成功（2xx）</translation>
    </message>
    <message>
        <source>Errors (4xx, 5xx)</source>
        <translation>错误（4xx、5xx）</translation>
    </message>
    <message>
        <source>Client errors (4xx)</source>
        <translation>客户端错误（4xx）</translation>
    </message>
    <message>
        <source>Server errors (5xx)</source>
        <translation>服务器错误（5xx）</translation>
    </message>
    <message>
        <source>Status filter</source>
        <translation>状态码筛选</translation>
    </message>
    <message>
        <source>Search text…</source>
        <translation>搜索文本…</translation>
    </message>
    <message>
        <source>Text filter</source>
        <translation>文本筛选</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>重新加载</translation>
    </message>
</context>
<context>
    <name>portico::LogViewRecordDialog</name>
    <message>
        <source>Tool call: %1</source>
        <translation>工具调用：%1</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态码</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>Request id</source>
        <translation>请求 ID</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>延迟</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>First token</source>
        <translation>首 Token 延迟</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Token 数</translation>
    </message>
    <message>
        <source>%1 prompt, %2 completion, %3 total</source>
        <translation>提示 %1，补全 %2，共 %3</translation>
    </message>
    <message>
        <source>Streamed</source>
        <translation>流式</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>The log kept only the metadata of this request.</source>
        <translation>日志只保留了此请求的元数据。</translation>
    </message>
    <message>
        <source>Response</source>
        <translation>响应</translation>
    </message>
    <message>
        <source>Request %1</source>
        <translation>请求 %1</translation>
    </message>
    <message>
        <source>(refused)</source>
        <translation>（已拒绝）</translation>
    </message>
    <message>
        <source>Exchange</source>
        <translation>请求与响应</translation>
    </message>
    <message>
        <source>JSON</source>
        <translation>JSON</translation>
    </message>
    <message>
        <source>Copy as curl</source>
        <translation>复制为 curl 命令</translation>
    </message>
    <message>
        <source>Copies a curl command that sends this request again; it reads the token from $PORTICO_TOKEN.</source>
        <translation>复制一条重新发送此请求的 curl 命令；该命令从 $PORTICO_TOKEN 读取令牌。</translation>
    </message>
</context>
<context>
    <name>portico::NewTokenDialog</name>
    <message>
        <source>Create</source>
        <translation>创建</translation>
    </message>
    <message>
        <source>New token</source>
        <translation>新建令牌</translation>
    </message>
    <message>
        <source>Give the token the name of the program that will use it, such as &quot;VS Code&quot; or &quot;scripts&quot;, so you can revoke it alone.</source>
        <translation>请用将要使用此令牌的程序为它命名，例如“VS Code”或“scripts”，以便日后单独吊销。</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>The token is stored in your keychain. It is not shown here again; copy it later from the token list or the tray menu.</source>
        <translation>令牌已存入你的钥匙串，此处不会再次显示；之后可从令牌列表或托盘菜单中复制。</translation>
    </message>
    <message>
        <source>The token could not be created: %1</source>
        <translation>无法创建令牌：%1</translation>
    </message>
    <message>
        <source>The token could not be saved: %1</source>
        <translation>无法保存令牌：%1</translation>
    </message>
    <message>
        <source>The token &quot;%1&quot; is ready and the gateway accepts it now. Copy it into your program:</source>
        <translation>令牌“%1”已就绪，网关现在就会接受它。请将它复制到你的程序中：</translation>
    </message>
</context>
<context>
    <name>portico::PasswordDialog</name>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Gateway password</source>
        <translation>网关密码</translation>
    </message>
    <message>
        <source>Clients send the password as their API key. It is kept in your keychain, never in the configuration file.</source>
        <translation>客户端将此密码作为 API 密钥发送。密码保存在你的钥匙串中，绝不会写入配置文件。</translation>
    </message>
    <message>
        <source>New password:</source>
        <translation>新密码：</translation>
    </message>
    <message>
        <source>Repeat:</source>
        <translation>确认密码：</translation>
    </message>
    <message>
        <source>Use at least %1 characters.</source>
        <translation>请至少使用 %1 个字符。</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
    <message>
        <source>The password could not be stored: %1</source>
        <translation>无法存储密码：%1</translation>
    </message>
</context>
<context>
    <name>portico::ProviderDialog</name>
    <message>
        <source>Remove the stored key</source>
        <translation>删除已存储的密钥</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <source>Use these models</source>
        <translation>使用这些模型</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <source>Add provider</source>
        <translation>添加提供方</translation>
    </message>
    <message>
        <source>Edit provider %1</source>
        <translation>编辑提供方 %1</translation>
    </message>
    <message>
        <source>ID:</source>
        <translation>ID：</translation>
    </message>
    <message>
        <source>OpenAI-compatible</source>
        <translation>OpenAI 兼容</translation>
    </message>
    <message>
        <source>Anthropic</source>
        <translation>Anthropic</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>类型：</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>基础 URL：</translation>
    </message>
    <message>
        <source>stored in the keychain; type to replace</source>
        <translation>已存储在钥匙串中；输入新值即可替换</translation>
    </message>
    <message>
        <source>kept in the keychain, never in the file</source>
        <translation>保存在钥匙串中，绝不写入文件</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>API 密钥：</translation>
    </message>
    <message>
        <source>optional, e.g. OPENROUTER_API_KEY</source>
        <translation>可选，例如 OPENROUTER_API_KEY</translation>
    </message>
    <message>
        <source>When this environment variable is set, its value is used instead of the stored key.</source>
        <translation>设置此环境变量后，将使用它的值代替已存储的密钥。</translation>
    </message>
    <message>
        <source>Key variable:</source>
        <translation>密钥变量：</translation>
    </message>
    <message>
        <source>one model per line; empty: whatever the client asks for</source>
        <translation>每行一个模型；留空：使用客户端请求的任何模型</translation>
    </message>
    <message>
        <source>Models:</source>
        <translation>模型：</translation>
    </message>
    <message>
        <source>Ask the provider which models it offers (GET &lt;base URL&gt;/models).</source>
        <translation>向提供方查询它提供哪些模型（GET &lt;基础 URL&gt;/models）。</translation>
    </message>
    <message>
        <source>The provider answered, but lists no models.</source>
        <translation>提供方已响应，但未列出任何模型。</translation>
    </message>
    <message numerus="yes">
        <source>Models found (%n): %1</source>
        <translation>
            <numerusform>找到 %n 个模型：%1</numerusform>
        </translation>
    </message>
    <message>
        <source>Asking %1…</source>
        <translation>正在询问 %1…</translation>
    </message>
</context>
<context>
    <name>portico::ProviderTableModel</name>
    <message>
        <source>not needed</source>
        <translation>不需要</translation>
    </message>
    <message>
        <source>keychain</source>
        <translation>钥匙串</translation>
    </message>
    <message>
        <source>$%1 (not set)</source>
        <translation>$%1（未设置）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>runs %1</source>
        <translation>运行 %1</translation>
    </message>
    <message>
        <source>%1, … (%2 models)</source>
        <translation>%1 等 %2 个模型</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Base URL</source>
        <translation>基础 URL</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API 密钥</translation>
    </message>
</context>
<context>
    <name>portico::ProvidersPage</name>
    <message>
        <source>Providers</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>The services requests are relayed to. Without one, the built-in diagnostic model answers.</source>
        <translation>请求所转发到的服务。未配置提供方时，由内置的诊断模型响应。</translation>
    </message>
    <message>
        <source>Add…</source>
        <translation>添加…</translation>
    </message>
    <message>
        <source>Edit…</source>
        <translation>编辑…</translation>
    </message>
    <message>
        <source>Remove…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Detect installed CLIs</source>
        <translation>检测已安装的 CLI</translation>
    </message>
    <message>
        <source>Look for the claude, codex and gemini command-line agents.</source>
        <translation>查找 claude、codex 和 gemini 命令行智能体。</translation>
    </message>
    <message>
        <source>A provider needs an ID, such as &quot;openrouter&quot;.</source>
        <translation>提供方需要一个 ID，例如“openrouter”。</translation>
    </message>
    <message>
        <source>There is already a provider &quot;%1&quot;.</source>
        <translation>已存在提供方“%1”。</translation>
    </message>
    <message>
        <source>The API key could not be stored: %1</source>
        <translation>无法存储 API 密钥：%1</translation>
    </message>
    <message>
        <source>Provider &quot;%1&quot; saved.</source>
        <translation>已保存提供方“%1”。</translation>
    </message>
    <message>
        <source>Remove provider</source>
        <translation>删除提供方</translation>
    </message>
    <message>
        <source>Remove the provider &quot;%1&quot; and its stored API key?</source>
        <translation>要删除提供方“%1”及其已存储的 API 密钥吗？</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>The provider was not removed: %1</source>
        <translation>未删除提供方：%1</translation>
    </message>
    <message>
        <source>Provider &quot;%1&quot; removed.</source>
        <translation>已删除提供方“%1”。</translation>
    </message>
    <message>
        <source>Provider &quot;%1&quot; removed, but its API key could not be removed from the keychain: %2</source>
        <translation>已删除提供方“%1”，但无法从钥匙串中删除其 API 密钥：%2</translation>
    </message>
    <message>
        <source>No new agent CLI was found on PATH (looked for %1).</source>
        <translation>在 PATH 中未找到新的智能体 CLI（已查找 %1）。</translation>
    </message>
    <message>
        <source>Found %1 on this computer. Add them as providers?</source>
        <translation>在本机上找到了 %1。要将它们添加为提供方吗？</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Added %1.</source>
        <translation>已添加 %1。</translation>
    </message>
    <message>
        <source>The CLIs were not added: %1</source>
        <translation>未添加这些 CLI：%1</translation>
    </message>
</context>
<context>
    <name>portico::RequestTableModel</name>
    <message>
        <source>Waiting</source>
        <translation>等待中</translation>
    </message>
    <message>
        <source>Streaming</source>
        <translation>流式传输中</translation>
    </message>
    <message>
        <source>Stopping</source>
        <translation>正在停止</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>Client left</source>
        <translation>客户端已断开</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>~%1</source>
        <translation>~%1</translation>
    </message>
    <message>
        <source>Estimated from the number of chunks: the upstream reported no usage.</source>
        <translation>根据数据块数量估算：上游未报告用量。</translation>
    </message>
    <message>
        <source>Started</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>First token</source>
        <translation>首 Token 延迟</translation>
    </message>
    <message>
        <source>Tokens/s</source>
        <translation>Token/秒</translation>
    </message>
    <message>
        <source>Tokens out</source>
        <translation>输出 Token</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <source>Duration</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态码</translation>
    </message>
</context>
<context>
    <name>portico::RouteDialog</name>
    <message>
        <source>Edit route</source>
        <translation>编辑路由</translation>
    </message>
    <message>
        <source>Add route</source>
        <translation>添加路由</translation>
    </message>
    <message>
        <source>A pattern on the model a client asks for: * matches any text, ? one character.</source>
        <translation>匹配客户端所请求模型的模式：* 匹配任意文本，? 匹配单个字符。</translation>
    </message>
    <message>
        <source>Requested model:</source>
        <translation>请求的模型：</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <source>Provider</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>Goes to:</source>
        <translation>转发到：</translation>
    </message>
    <message>
        <source>diagnostic (built in)</source>
        <translation>诊断（内置）</translation>
    </message>
    <message>
        <source>Enter the model name or pattern this route matches.</source>
        <translation>请输入此路由匹配的模型名称或模式。</translation>
    </message>
    <message>
        <source>Choose where the route goes; add an agent first if the list is empty.</source>
        <translation>请选择路由的去向；如果列表为空，请先添加智能体。</translation>
    </message>
</context>
<context>
    <name>portico::RouteTableModel</name>
    <message>
        <source>provider %1</source>
        <translation>提供方 %1</translation>
    </message>
    <message>
        <source>agent %1</source>
        <translation>智能体 %1</translation>
    </message>
    <message>
        <source>Requested model</source>
        <translation>请求的模型</translation>
    </message>
    <message>
        <source>Goes to</source>
        <translation>转发到</translation>
    </message>
</context>
<context>
    <name>portico::SessionTableModel</name>
    <message>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>智能体</translation>
    </message>
    <message>
        <source>Client</source>
        <translation>客户端</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Requests</source>
        <translation>请求数</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>进行中</translation>
    </message>
    <message>
        <source>Tokens in</source>
        <translation>输入 Token</translation>
    </message>
    <message>
        <source>Tokens out</source>
        <translation>输出 Token</translation>
    </message>
    <message>
        <source>First activity</source>
        <translation>首次活动</translation>
    </message>
    <message>
        <source>Last activity</source>
        <translation>最近活动</translation>
    </message>
</context>
<context>
    <name>portico::SessionsView</name>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>清除已结束</translation>
    </message>
    <message>
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Requests of the selected session</source>
        <translation>所选会话的请求</translation>
    </message>
    <message>
        <source>Output of the selected request</source>
        <translation>所选请求的输出</translation>
    </message>
    <message>
        <source>Cancel the selected request: the client gets an error and the upstream call is aborted.</source>
        <translation>取消所选请求：客户端将收到错误，上游调用将被中止。</translation>
    </message>
    <message>
        <source>Forget finished requests and idle sessions.</source>
        <translation>清除已结束的请求和空闲的会话。</translation>
    </message>
    <message>
        <source>No request selected.</source>
        <translation>未选择请求。</translation>
    </message>
    <message>
        <source>%1 via %2</source>
        <translation>%1（经由 %2）</translation>
    </message>
    <message>
        <source>elapsed %1</source>
        <translation>已用时 %1</translation>
    </message>
    <message>
        <source>first token after %1</source>
        <translation>首 Token 延迟 %1</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 Token/秒</translation>
    </message>
    <message>
        <source>~%1 tokens</source>
        <translation>约 %1 个 Token</translation>
    </message>
    <message>
        <source>%1 tokens</source>
        <translation>%1 个 Token</translation>
    </message>
    <message>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>错误：%1</translation>
    </message>
    <message>
        <source>Only part of the output was kept.</source>
        <translation>只保留了部分输出。</translation>
    </message>
</context>
<context>
    <name>portico::SettingsWindow</name>
    <message>
        <source>Sessions</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>The live sessions view is not available in this build.</source>
        <translation>此版本不包含实时会话视图。</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>The log view is not available in this build.</source>
        <translation>此版本不包含日志视图。</translation>
    </message>
    <message>
        <source>Portico Settings</source>
        <translation>Portico 设置</translation>
    </message>
    <message>
        <source>General</source>
        <translation>常规</translation>
    </message>
    <message>
        <source>Access</source>
        <translation>访问控制</translation>
    </message>
    <message>
        <source>Providers</source>
        <translation>提供方</translation>
    </message>
    <message>
        <source>Agents &amp; routes</source>
        <translation>智能体与路由</translation>
    </message>
    <message>
        <source>The configuration file is invalid, so the gateway is not running and nothing is saved until it is fixed: %1
Fix the file (General → Open folder), then choose Reload from disk.</source>
        <translation>配置文件无效，因此网关没有运行，并且在修复之前不会保存任何更改：%1
请修复该文件（常规 → 打开文件夹），然后选择“从磁盘重新加载”。</translation>
    </message>
    <message>
        <source>The endpoint is not running: %1
Choose another port on the General page, or stop the program that uses it.</source>
        <translation>端点未运行：%1
请在“常规”页面选择其他端口，或停止占用该端口的程序。</translation>
    </message>
    <message>
        <source>Keychain: %1
Portico never stores secrets in plain text: until the keychain works, tokens cannot be created or copied and the password and provider keys cannot be read. Existing tokens keep working.</source>
        <translation>钥匙串：%1
Portico 绝不以明文存储机密信息：在钥匙串恢复正常之前，无法创建或复制令牌，也无法读取密码和提供方密钥。现有令牌仍可继续使用。</translation>
    </message>
</context>
<context>
    <name>portico::StreamTextView</name>
    <message>
        <source>Select a request to see what it says.</source>
        <translation>选择一个请求以查看其内容。</translation>
    </message>
    <message>
        <source>Reasoning</source>
        <translation>推理</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>回答</translation>
    </message>
    <message>
        <source>Tool call: %1</source>
        <translation>工具调用：%1</translation>
    </message>
</context>
<context>
    <name>portico::TokenCommand</name>
    <message>
        <source>Usage: portico token [--name NAME]   print a token (the default one is created if missing)
       portico token --list          list tokens (names, ids, creation times)
       portico token --revoke NAME   revoke a token
</source>
        <translation>用法：portico token [--name NAME]   打印一个令牌（默认令牌不存在时会创建）
      portico token --list          列出令牌（名称、ID、创建时间）
      portico token --revoke NAME   吊销一个令牌
</translation>
    </message>
    <message>
        <source>--list and --revoke cannot be combined.</source>
        <translation>--list 和 --revoke 不能同时使用。</translation>
    </message>
    <message>
        <source>%1 needs a token name.</source>
        <translation>%1 需要一个令牌名称。</translation>
    </message>
    <message>
        <source>%1 does not take a value.</source>
        <translation>%1 不接受值。</translation>
    </message>
    <message>
        <source>Unknown argument &quot;%1&quot;.</source>
        <translation>未知参数“%1”。</translation>
    </message>
    <message>
        <source>--name only goes with printing a token.</source>
        <translation>--name 只能在打印令牌时使用。</translation>
    </message>
    <message>
        <source>The token name cannot be empty.</source>
        <translation>令牌名称不能为空。</translation>
    </message>
    <message>
        <source>For headless use, set PORTICO_GATEWAY_TOKEN instead of using the keychain.</source>
        <translation>无界面使用时，请设置 PORTICO_GATEWAY_TOKEN，而不是使用钥匙串。</translation>
    </message>
    <message>
        <source>No tokens yet; &quot;portico token&quot; creates the default one.</source>
        <translation>还没有令牌；运行“portico token”会创建默认令牌。</translation>
    </message>
    <message>
        <source>portico: there is no token named &quot;%1&quot; (see &quot;portico token --list&quot;).</source>
        <translation>portico：没有名为“%1”的令牌（参见“portico token --list”）。</translation>
    </message>
    <message>
        <source>portico: the new token could not be saved: %1</source>
        <translation>portico：无法保存新令牌：%1</translation>
    </message>
    <message>
        <source>portico: the token was not revoked: %1</source>
        <translation>portico：令牌未被吊销：%1</translation>
    </message>
    <message>
        <source>portico: token &quot;%1&quot; is revoked, but its secret is still in the keychain.</source>
        <translation>portico：令牌“%1”已吊销，但其密钥仍留在钥匙串中。</translation>
    </message>
    <message>
        <source>Revoked token &quot;%1&quot;.</source>
        <translation>已吊销令牌“%1”。</translation>
    </message>
</context>
<context>
    <name>portico::TokenTableModel</name>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>Not used since Portico started</source>
        <translation>自 Portico 启动以来未使用</translation>
    </message>
    <message>
        <source>not yet</source>
        <translation>尚未使用</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Last used</source>
        <translation>最近使用</translation>
    </message>
</context>
<context>
    <name>portico::TrayController</name>
    <message>
        <source>Chat completions endpoint</source>
        <translation>聊天补全端点</translation>
    </message>
    <message>
        <source>Copy token</source>
        <translation>复制令牌</translation>
    </message>
    <message>
        <source>Copy base URL</source>
        <translation>复制基础 URL</translation>
    </message>
    <message>
        <source>Copy example</source>
        <translation>复制示例</translation>
    </message>
    <message>
        <source>A curl command that reads the token from $PORTICO_TOKEN</source>
        <translation>从 $PORTICO_TOKEN 读取令牌的 curl 命令</translation>
    </message>
    <message>
        <source>Sessions…</source>
        <translation>会话…</translation>
    </message>
    <message>
        <source>Settings…</source>
        <translation>设置…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>1 live stream</source>
        <translation>1 个流式请求进行中</translation>
    </message>
    <message numerus="yes">
        <source>%n live streams</source>
        <translation>
            <numerusform>%n 个流式请求进行中</numerusform>
        </translation>
    </message>
    <message>
        <source>Needs attention: %1</source>
        <translation>需要注意：%1</translation>
    </message>
    <message>
        <source>%1 · endpoint off</source>
        <translation>%1 · 端点已关闭</translation>
    </message>
    <message>
        <source>Portico</source>
        <translation>Portico</translation>
    </message>
    <message>
        <source>Chat completions endpoint off</source>
        <translation>聊天补全端点已关闭</translation>
    </message>
</context>
</TS>
