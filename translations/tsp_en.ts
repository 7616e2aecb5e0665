<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>Composer</name>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="50"/>
        <source>Conversation state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="52"/>
        <location filename="../ui/conversations/composer.cpp" line="54"/>
        <source>Take over</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="56"/>
        <source>Handle this conversation yourself; the bot stops answering it (Ctrl+Shift+T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="57"/>
        <location filename="../ui/conversations/composer.cpp" line="59"/>
        <source>Hand back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="60"/>
        <source>Let the bot answer this conversation again (Ctrl+Shift+T)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="63"/>
        <source>Mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="65"/>
        <source>How this conversation is handled: the bot answers (Auto), drafts for you (Review), or stays quiet (Manual)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="68"/>
        <source>New conversations:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="71"/>
        <source>Default mode for new conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="77"/>
        <source>Reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="81"/>
        <location filename="../ui/conversations/composer.cpp" line="83"/>
        <source>Send</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="84"/>
        <source>Send the reply (Ctrl+Enter)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="85"/>
        <source>Knowledge…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="87"/>
        <location filename="../ui/conversations/composer.cpp" line="89"/>
        <source>Insert from knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="88"/>
        <source>Search the knowledge base and insert a solution (Ctrl+K)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="94"/>
        <source>Mode:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="164"/>
        <source>No conversation selected.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="166"/>
        <source>Pick a conversation on the left to reply.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="175"/>
        <source>Needs a person.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="179"/>
        <source>The bot is handling this conversation. Take over to reply yourself.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/composer.cpp" line="180"/>
        <source>Write a reply; Ctrl+Enter sends it.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationText</name>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="9"/>
        <source>Auto</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="11"/>
        <source>Review</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="13"/>
        <source>Manual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="22"/>
        <source>The bot is handling this conversation.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="24"/>
        <source>Review: the bot drafts, you approve, edit or reject.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="26"/>
        <source>You are handling this conversation; the bot is quiet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="35"/>
        <source>Customer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="37"/>
        <source>Bot</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="39"/>
        <source>Operator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="41"/>
        <source>System</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="52"/>
        <source>Queued</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="54"/>
        <source>Sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="56"/>
        <source>Sent</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="58"/>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="66"/>
        <source>Low</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="68"/>
        <source>Normal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="70"/>
        <source>High</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="72"/>
        <source>Critical</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="84"/>
        <source>Direct chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="94"/>
        <source>now</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="96"/>
        <source>%n min</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="98"/>
        <source>%n h</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="99"/>
        <source>%n d</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="115"/>
        <source>needs a person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationtext.cpp" line="117"/>
        <source>draft waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message numerus="yes">
        <location filename="../ui/conversations/conversationtext.cpp" line="119"/>
        <source>%n unread</source>
        <translation type="unfinished">
            <numerusform></numerusform>
            <numerusform></numerusform>
        </translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadmodel.cpp" line="71"/>
        <source>Operator %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadmodel.cpp" line="81"/>
        <source>lead %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadmodel.cpp" line="84"/>
        <source>coverage %1%</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConversationsPage</name>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="78"/>
        <source>Next conversation needing attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="80"/>
        <source>Take over / hand back</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="81"/>
        <source>Approve draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="82"/>
        <location filename="../ui/conversations/conversationspage.cpp" line="131"/>
        <source>Search conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="83"/>
        <source>Write a reply</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="132"/>
        <source>Search names and messages (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="134"/>
        <source>Needs attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="136"/>
        <source>Only conversations that need attention</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="139"/>
        <source>Filter by mode</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="140"/>
        <source>All modes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="145"/>
        <source>Filter by chat</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="151"/>
        <source>Conversations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="158"/>
        <location filename="../ui/conversations/conversationspage.cpp" line="268"/>
        <source>No conversations yet: messages to the bot in Feishu appear here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="205"/>
        <source>No conversation selected — pick one on the left.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="210"/>
        <source>Conversation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="217"/>
        <source>Mode and state</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="224"/>
        <source>Notice</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="259"/>
        <source>All chats</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="271"/>
        <source>No conversation matches — clear the search or the filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="322"/>
        <source>needs a person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="324"/>
        <source>draft waiting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/conversationspage.cpp" line="345"/>
        <source>That conversation is not known (yet).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DraftBanner</name>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="17"/>
        <source>Draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="29"/>
        <source>Draft text</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="34"/>
        <source>Draft sources</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="38"/>
        <source>Draft warning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="43"/>
        <location filename="../ui/conversations/draftbanner.cpp" line="45"/>
        <location filename="../ui/conversations/draftbanner.cpp" line="170"/>
        <source>Approve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="46"/>
        <source>Send the draft as it is (Ctrl+Shift+A)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="47"/>
        <location filename="../ui/conversations/draftbanner.cpp" line="49"/>
        <source>Edit draft</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="50"/>
        <source>Put the draft into the reply box to change it before sending</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="51"/>
        <location filename="../ui/conversations/draftbanner.cpp" line="53"/>
        <source>Reject</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="54"/>
        <source>Send nothing; the conversation stays with you</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="57"/>
        <source>Reason for rejecting</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="58"/>
        <source>Reason for rejecting (optional)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="124"/>
        <source>Draft from the bot · confidence %1%</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="127"/>
        <source>No knowledge entry cited</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="127"/>
        <source>Sources: %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="130"/>
        <source>the bot would hand this to a person</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="135"/>
        <source>The customer wrote again after this draft was made.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="150"/>
        <source>The bot is writing a draft…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="164"/>
        <source>The customer wrote again after this draft was made. Approve anyway? Press Approve again to send it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/draftbanner.cpp" line="167"/>
        <source>Approve anyway</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KnowledgeEntryDialog</name>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="33"/>
        <source>Knowledge entry %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="34"/>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="60"/>
        <source>Knowledge entry</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="36"/>
        <source>Title</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="37"/>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="38"/>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="39"/>
        <source>Vehicle models</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="40"/>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="41"/>
        <source>Symptoms</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="42"/>
        <source>Cause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="43"/>
        <source>Solution</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="44"/>
        <source>Tags</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="46"/>
        <source>Close</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="61"/>
        <source>The knowledge entry %1 no longer exists.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KnowledgeSearchDialog</name>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="75"/>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="76"/>
        <source>Insert from knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="79"/>
        <source>Search knowledge</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="80"/>
        <source>Search knowledge, e.g. 车机没网</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="84"/>
        <source>Knowledge results</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="87"/>
        <source>Solution preview</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="90"/>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="92"/>
        <source>Insert</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/knowledgedialogs.cpp" line="93"/>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>OperatorDesk</name>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="629"/>
        <location filename="../core/desk/operatordesk.cpp" line="643"/>
        <source>The database refused the change; nothing was changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="650"/>
        <source>Conversation #%1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="666"/>
        <source>The default mode could not be saved (database error).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="678"/>
        <source>Draft #%1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="680"/>
        <source>This draft was already decided (%1).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="683"/>
        <source>The customer wrote again after this draft was made. Read the new message before approving.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="694"/>
        <source>The reply is empty.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="730"/>
        <source>Nothing to retry: this reply has not failed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="747"/>
        <source>Turn #%1 does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="749"/>
        <source>Only a reply sent to the customer can become knowledge.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="755"/>
        <source>The entry needs a title.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="757"/>
        <source>The entry needs a solution.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="771"/>
        <source>The entry could not be saved.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="780"/>
        <source>The entry could not be saved (database error).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../core/desk/operatordesk.cpp" line="803"/>
        <source>The change could not be saved (database error).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SidePanel</name>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="29"/>
        <source>VIN</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="31"/>
        <source>Plate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="33"/>
        <source>DTC</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="35"/>
        <source>Phone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="46"/>
        <source>AI analysis</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="47"/>
        <location filename="../ui/conversations/sidepanel.cpp" line="54"/>
        <source>Category</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="48"/>
        <location filename="../ui/conversations/sidepanel.cpp" line="55"/>
        <source>Urgency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="49"/>
        <location filename="../ui/conversations/sidepanel.cpp" line="56"/>
        <source>Entities</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="50"/>
        <location filename="../ui/conversations/sidepanel.cpp" line="57"/>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="51"/>
        <source>Suggested next step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="58"/>
        <source>Next step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="60"/>
        <location filename="../ui/conversations/sidepanel.cpp" line="65"/>
        <source>Earlier conversations of this vehicle</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="66"/>
        <source>Double-click or press Enter to open</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="71"/>
        <location filename="../ui/conversations/sidepanel.cpp" line="74"/>
        <source>Session key</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="107"/>
        <source>—</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="117"/>
        <source>Not analysed yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="133"/>
        <source>No VIN or plate known for this conversation yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="146"/>
        <source>No earlier conversation of %1.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/sidepanel.cpp" line="147"/>
        <source>Found by %1.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThreadDelegate</name>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="100"/>
        <location filename="../ui/conversations/threadview.cpp" line="218"/>
        <source>Retry</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ThreadView</name>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="250"/>
        <source>Thread</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="260"/>
        <source>Retry delivery</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="345"/>
        <source>Open %1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../ui/conversations/threadview.cpp" line="347"/>
        <source>Copy text</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
