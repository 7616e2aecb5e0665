<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>TicketDesk</name>
        <message numerus="yes">
            <source>%n ticket(s) pulled, %1 pushed, %2 conflict(s), %3 failed</source>
            <translation>
                <numerusform>拉取 %n 个工单，推送 %1 个，冲突 %2 个，失败 %3 个</numerusform>
            </translation>
        </message>
        <message>
            <source>The ticket could not be created: %1</source>
            <translation>无法创建工单：%1</translation>
        </message>
        <message>
            <source>The ticket could not be saved: %1</source>
            <translation>无法保存工单：%1</translation>
        </message>
        <message>
            <source>This ticket no longer exists.</source>
            <translation>该工单已不存在。</translation>
        </message>
        <message>
            <source>Unknown status "%1".</source>
            <translation>未知状态“%1”。</translation>
        </message>
        <message>
            <source>Write how the problem was solved first.</source>
            <translation>请先填写问题的解决方案。</translation>
        </message>
        <message>
            <source>There is no knowledge base.</source>
            <translation>没有可用的知识库。</translation>
        </message>
        <message>
            <source>Only a resolved ticket with a resolution can become knowledge.</source>
            <translation>只有已解决且填写了解决方案的工单才能转为知识条目。</translation>
        </message>
        <message>
            <source>The knowledge entry could not be updated: %1</source>
            <translation>无法更新知识条目：%1</translation>
        </message>
        <message>
            <source>The knowledge entry could not be created: %1</source>
            <translation>无法创建知识条目：%1</translation>
        </message>
        <message>
            <source>Bitable is not configured (BITABLE_APP_TOKEN, BITABLE_TABLE_ID).</source>
            <translation>未配置多维表格（BITABLE_APP_TOKEN、BITABLE_TABLE_ID）。</translation>
        </message>
        <message>
            <source>A sync is already running.</source>
            <translation>同步正在进行中。</translation>
        </message>
    </context>
</TS>
