// The official Feishu Node SDK's long-connection client (WSClient) against FeishuSandbox.
// Started by tsp_conformance_sandbox with: <base URL> <app id> <app secret>.
// stdout: one JSON object per line for the driver; the SDK's own log goes to stderr.
import * as lark from '@larksuiteoapi/node-sdk';

const [baseUrl, appId, appSecret] = process.argv.slice(2);
if (!baseUrl || !appId || !appSecret) {
    console.error('usage: node run.mjs <base URL> <app id> <app secret>');
    process.exit(2);
}

const out = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');
const toStderr = (level) => (...args) => console.error(`[sdk ${level}]`, ...args);
const logger = {
    error: toStderr('error'),
    warn: toStderr('warn'),
    info: toStderr('info'),
    debug: toStderr('debug'),
    trace: toStderr('trace'),
};

const dispatcher = new lark.EventDispatcher({ logger, loggerLevel: lark.LoggerLevel.warn }).register({
    'im.message.receive_v1': async (data) => {
        // A handler that takes a few milliseconds, like any real one: it makes the SDK's
        // biz_rt (startTime - endTime) visible.
        await new Promise((resolve) => setTimeout(resolve, 3));
        const message = data.message || {};
        let text = null;
        try {
            text = JSON.parse(message.content).text;
        } catch (e) {
            text = null;
        }
        out({
            kind: 'message',
            message_id: message.message_id,
            event_id: data.event_id,
            chat_id: message.chat_id,
            chat_type: message.chat_type,
            sender: data.sender && data.sender.sender_id ? data.sender.sender_id.open_id : null,
            text,
            mentions: (message.mentions || []).map((m) => m.key),
        });
    },
});

const client = new lark.WSClient({
    appId,
    appSecret,
    domain: baseUrl,
    logger,
    loggerLevel: lark.LoggerLevel.info,
    onReady: () => out({ kind: 'ready' }),
    onReconnected: () => out({ kind: 'reconnected' }),
    onError: (err) => out({ kind: 'error', message: String(err && err.message ? err.message : err) }),
});
client.start({ eventDispatcher: dispatcher });

const stop = () => {
    client.close({ force: true });
    process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
