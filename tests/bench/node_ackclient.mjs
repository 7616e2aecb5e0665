// The official Feishu Node SDK's WSClient with a handler that does nothing, for bench_ackthroughput.
//   node node_ackclient.mjs <node-sdk dir with node_modules> <base URL> <app id> <app secret>
// Prints {"kind":"ready"} on stdout once connected; exits on SIGTERM.
import { createRequire } from 'node:module';
import path from 'node:path';

const [sdkDir, baseUrl, appId, appSecret] = process.argv.slice(2);
if (!sdkDir || !baseUrl || !appId || !appSecret) {
    console.error('usage: node node_ackclient.mjs <node-sdk dir> <base URL> <app id> <app secret>');
    process.exit(2);
}
const require = createRequire(path.join(sdkDir, 'package.json'));
const lark = require('@larksuiteoapi/node-sdk');

const quiet = { error: console.error, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };
const dispatcher = new lark.EventDispatcher({ logger: quiet, loggerLevel: lark.LoggerLevel.error }).register({
    'im.message.receive_v1': async () => {},
});
const client = new lark.WSClient({
    appId,
    appSecret,
    domain: baseUrl,
    logger: quiet,
    loggerLevel: lark.LoggerLevel.error,
    onReady: () => process.stdout.write('{"kind":"ready"}\n'),
});
client.start({ eventDispatcher: dispatcher });
const stop = () => {
    client.close({ force: true });
    process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
