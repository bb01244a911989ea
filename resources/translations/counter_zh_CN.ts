<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../../app/ui/shell/about.py" line="+145"/>
        <source>The licence file is missing from this installation: {path}</source>
        <translation>本安装中缺少许可证文件：{path}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>About the counter program</source>
        <translation>关于柜台受理程序</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Business hall counter</source>
        <translation>营业厅柜台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Version {version}</source>
        <translation>版本 {version}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Component</source>
        <translation>组件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Version</source>
        <translation>版本</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Licence</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Qt and PySide6 are used under the GNU LGPL v3. They are separate libraries in the installation folder, which you may replace with your own build of the same version; their source code is published at &lt;a href=&quot;{qt}&quot;&gt;{qt}&lt;/a&gt; and &lt;a href=&quot;{pyside}&quot;&gt;{pyside}&lt;/a&gt;. Each component&apos;s licence text is in its &lt;i&gt;.dist-info&lt;/i&gt; folder in the installation.</source>
        <translation>Qt 与 PySide6 依据 GNU LGPL v3 使用。它们是安装目录中独立的库，您可以用自行编译的同版本替换；其源代码发布于 &lt;a href=&quot;{qt}&quot;&gt;{qt}&lt;/a&gt; 和 &lt;a href=&quot;{pyside}&quot;&gt;{pyside}&lt;/a&gt;。各组件的许可证文本位于安装目录中对应的 &lt;i&gt;.dist-info&lt;/i&gt; 文件夹内。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Licences</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Font licence</source>
        <translation>字体许可证</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>GNU LGPL v3</source>
        <translation>GNU LGPL v3</translation>
    </message>
</context>
<context>
    <name>AddStaffForm</name>
    <message>
        <location filename="../../app/ui/supervisor/staff_dialogs.py" line="+156"/>
        <source>Add a staff account</source>
        <translation>添加员工账号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New staff account</source>
        <translation>新员工账号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>&amp;Staff number</source>
        <translation>工号(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Na&amp;me</source>
        <translation>姓名(&amp;M)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Role</source>
        <translation>角色(&amp;R)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Enter the staff number.</source>
        <translation>请输入工号。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enter the name.</source>
        <translation>请输入姓名。</translation>
    </message>
</context>
<context>
    <name>ApproveDifferenceDialog</name>
    <message>
        <location filename="../../app/ui/day/approve_difference.py" line="+45"/>
        <source>Approve a shift&apos;s difference</source>
        <translation>审批班次差异</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Expected</source>
        <translation>应有</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Tolerance</source>
        <translation>容差</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clerk&apos;s explanation</source>
        <translation>营业员说明</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>What was checked, e.g. the shortfall was paid in</source>
        <translation>核实情况，例如：短款已补齐</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your staff no.</source>
        <translation>您的工号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What was checked</source>
        <translation>核实情况</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Approve</source>
        <translation>审批通过</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Counter %1 · %2 (%3) · closed %4</source>
        <translation>%1 柜台 · %2（%3）· %4 交班</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>This shift is not waiting for an approval.</source>
        <translation>此班次没有待审批的差异。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Type your password and what was checked.</source>
        <translation>请输入您的密码并填写核实情况。</translation>
    </message>
</context>
<context>
    <name>Badge</name>
    <message>
        <location filename="../../app/ui/kit/theme.py" line="+75"/>
        <source>Arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Suspended</source>
        <translation>停机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reported lost</source>
        <translation>挂失</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Real-name stop</source>
        <translation>实名制停机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Under contract</source>
        <translation>合约期内</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Prepaid</source>
        <translation>预付费</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
</context>
<context>
    <name>BarChart</name>
    <message>
        <location filename="../../app/ui/day/charts.py" line="+81"/>
        <source>No data</source>
        <translation>暂无数据</translation>
    </message>
</context>
<context>
    <name>BlockerBanner</name>
    <message>
        <location filename="../../app/ui/wizard/visit_blockers.py" line="+127"/>
        <source>Pay the arrears of {amount} yuan first</source>
        <translation>先缴清欠费 {amount} 元</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{service} first, then come back</source>
        <translation>先办理{service}，再回来继续</translation>
    </message>
</context>
<context>
    <name>CampaignBox</name>
    <message>
        <location filename="../../app/ui/wizard/campaign_box.py" line="+49"/>
        <location line="+36"/>
        <source>Campaign</source>
        <translation>营销活动</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Tier</source>
        <translation>档次</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Gift</source>
        <translation>赠品</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Terms</source>
        <translation>活动条款</translation>
    </message>
    <message>
        <location line="+53"/>
        <source>No campaign</source>
        <translation>不参加活动</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Original checked: {paper}</source>
        <translation>原件已核验：{paper}</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>Proposed from the answers: {tier}</source>
        <translation>按所填信息建议：{tier}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No tier fits the answers yet.</source>
        <translation>按所填信息暂无适用的档次。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Still to fill in: {fields}</source>
        <translation>尚需填写：{fields}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The customer may take this tier.</source>
        <translation>客户可以办理此档次。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>{gift} ({count} on hand)</source>
        <translation>{gift}（现有 {count} 份）</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No gift</source>
        <translation>无赠品</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>None of this tier&apos;s gifts is counted at this counter: receive them or have them transferred here first.</source>
        <translation>本柜台没有此档次赠品的库存：请先入库，或从其他柜台调拨到本柜台。</translation>
    </message>
</context>
<context>
    <name>ChangePasswordDialog</name>
    <message>
        <location filename="../../app/ui/supervisor/staff_password.py" line="+56"/>
        <source>Change my password</source>
        <translation>修改我的密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose a new password to continue</source>
        <translation>请设置新密码后继续</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Change the password of {staff_no} {name}</source>
        <translation>修改 {staff_no} {name} 的密码</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name}, your password was set by an administrator. Before anything else, replace it with one only you know.</source>
        <translation>{name}，您的密码是由管理员设置的。请先将其改为只有您自己知道的密码，再进行其他操作。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>At least 8 characters with letters and digits, not containing your staff number.</source>
        <translation>至少 8 个字符，须同时包含字母和数字，不能包含您的工号。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Current password</source>
        <translation>当前密码(&amp;C)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;New password</source>
        <translation>新密码(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password &amp;again</source>
        <translation>再次输入新密码(&amp;A)</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+72"/>
        <source>Change password</source>
        <translation>修改密码</translation>
    </message>
    <message>
        <location line="-68"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Fill in all three fields.</source>
        <translation>请填写全部三项。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The two new passwords differ. Type them again.</source>
        <translation>两次输入的新密码不一致，请重新输入。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Changing...</source>
        <translation>正在修改…</translation>
    </message>
</context>
<context>
    <name>CloseForm</name>
    <message>
        <location filename="../../app/ui/counter/todo_forms.py" line="+95"/>
        <source>Close with a result</source>
        <translation>办结</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Customer&apos;s verdict</source>
        <translation>回访结果</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The answer given to the customer</source>
        <translation>给客户的答复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What the customer said on the follow-up visit</source>
        <translation>回访时客户的意见</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What was done to restore service</source>
        <translation>为恢复通信所做的处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>What was done</source>
        <translation>处理情况</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Result</source>
        <translation>办理结果</translation>
    </message>
</context>
<context>
    <name>ComplaintRegisterView</name>
    <message>
        <location filename="../../app/ui/day/complaints.py" line="+96"/>
        <source>Complaint register</source>
        <translation>投诉登记簿</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Waiting for an answer</source>
        <translation>待答复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting for the follow-up visit</source>
        <translation>待回访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>New complaint…</source>
        <translation>登记投诉…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Answer…</source>
        <translation>答复…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow-up visit…</source>
        <translation>回访…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hand over…</source>
        <translation>转交…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Service restored…</source>
        <translation>故障已修复…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Received</source>
        <translation>受理时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>Order</source>
        <translation>单号</translation>
    </message>
    <message>
        <location line="-4"/>
        <location line="+103"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="-102"/>
        <source>Phone</source>
        <translation>电话</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+103"/>
        <source>Subject</source>
        <translation>投诉事由</translation>
    </message>
    <message>
        <location line="-103"/>
        <location line="+4"/>
        <source>Owner</source>
        <translation>首问负责人</translation>
    </message>
    <message>
        <location line="-3"/>
        <location line="+104"/>
        <source>Promised answer</source>
        <translation>承诺答复时间</translation>
    </message>
    <message>
        <location line="-104"/>
        <location line="+4"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Follow-up visit</source>
        <translation>回访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reported</source>
        <translation>申告时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Line</source>
        <translation>号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fault</source>
        <translation>故障类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Deadline</source>
        <translation>修复时限</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fault tickets</source>
        <translation>障碍单</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>waiting for an answer</source>
        <translation>待答复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>waiting for the visit</source>
        <translation>待回访</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+15"/>
        <source>voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>open</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>restored</source>
        <translation>已修复</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ordinary (12 h)</source>
        <translation>一般故障（12小时）</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>cable cut (24 h)</source>
        <translation>光缆中断（24小时）</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>New complaint</source>
        <translation>登记投诉</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Contact phone</source>
        <translation>联系电话</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line concerned</source>
        <translation>涉及号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Description</source>
        <translation>投诉内容</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Answer complaint: %1</source>
        <translation>答复投诉：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Answer given</source>
        <translation>答复内容</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Follow-up visit: %1</source>
        <translation>回访：%1</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Result</source>
        <translation>回访结果</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Hand over</source>
        <translation>转交</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>To staff no.</source>
        <translation>转交给（工号）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>转交原因</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Service restored: %1</source>
        <translation>故障已修复：%1</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>What was done</source>
        <translation>处理情况</translation>
    </message>
</context>
<context>
    <name>CorrectionDialog</name>
    <message>
        <location filename="../../app/ui/day/correction_dialog.py" line="+55"/>
        <source>Corrections of %1</source>
        <translation>%1 的更正记录</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>%1 is signed off: nothing recorded that day is changed. A correction is a new entry linked to the sign-off, printed in the day&apos;s report.</source>
        <translation>%1 已日结签核：当日已记录的内容不会被修改。更正是一条关联到该签核的新记录，会打印在当日的营业日报中。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Recorded</source>
        <translation>登记时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+56"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="-56"/>
        <source>Concerns</source>
        <translation>涉及</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity / amount</source>
        <translation>数量 / 金额</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+61"/>
        <source>Explanation</source>
        <translation>说明</translation>
    </message>
    <message>
        <location line="-61"/>
        <source>By</source>
        <translation>登记人</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Record the correction</source>
        <translation>登记更正</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>New correction</source>
        <translation>新增更正</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>An order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+52"/>
        <source>Stock</source>
        <translation>库存</translation>
    </message>
    <message>
        <location line="-51"/>
        <location line="+51"/>
        <source>Money</source>
        <translation>款项</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>A note only</source>
        <translation>仅备注</translation>
    </message>
    <message>
        <location line="+21"/>
        <source> yuan</source>
        <translation> 元</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Item</source>
        <translation>物品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Quantity (+ more, − fewer)</source>
        <translation>数量（+ 增加，− 减少）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Payment method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amount (+ in, − out)</source>
        <translation>金额（+ 收入，− 支出）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Order</source>
        <translation>订单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Say why the day is corrected.</source>
        <translation>请说明更正原因。</translation>
    </message>
</context>
<context>
    <name>CounterWindow</name>
    <message>
        <location filename="../../app/ui/counter/window.py" line="+158"/>
        <source>{hall} - counter {counter}</source>
        <translation>{hall} - {counter} 号柜台</translation>
    </message>
    <message>
        <location filename="../../app/ui/counter/window_menus.py" line="+79"/>
        <source>&amp;Work</source>
        <translation>业务(&amp;W)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New service...</source>
        <translation>新业务…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find customer</source>
        <translation>查找客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock screen</source>
        <translation>锁定屏幕</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log out</source>
        <translation>退出登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open shift...</source>
        <translation>开班…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close shift...</source>
        <translation>交班…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Supervisor</source>
        <translation>值班长(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Day&apos;s orders, intake log and follow-ups</source>
        <translation>当日订单、受理登记与跟进事项</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The hall&apos;s day and sign-off...</source>
        <translation>营业日总览与日结签核…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Complaint register...</source>
        <translation>投诉登记簿…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Data</source>
        <translation>数据(&amp;D)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>S&amp;ettings</source>
        <translation>设置(&amp;E)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Language, printers, idle lock, sync...</source>
        <translation>语言、打印机、自动锁屏、同步…</translation>
    </message>
    <message>
        <location filename="../../app/ui/counter/window.py" line="+4"/>
        <source>Services</source>
        <translation>业务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} ({staff_no}, {role}) at counter {counter}</source>
        <translation>{name}（{staff_no}，{role}）· {counter} 号柜台</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>Find the customer first</source>
        <translation>请先查找客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{service} is for an existing line: find the customer (F1) first.</source>
        <translation>{service}需要针对已有号码办理：请先查找客户（F1）。</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>No shift open</source>
        <translation>未开班</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Shift open: {name}, {day}</source>
        <translation>已开班：{name}，{day}</translation>
    </message>
    <message>
        <location filename="../../app/ui/counter/window_drafts.py" line="+35"/>
        <source>a new customer</source>
        <translation>新客户</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Unfinished request</source>
        <translation>未完成的受理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A request was left unfinished at this counter: {service} for {who}, by {clerk} at {when}. Resume it?</source>
        <translation>本柜台有一笔未完成的受理：{who} 的{service}，由{clerk}于 {when} 办理。是否继续办理？</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Resume</source>
        <translation>继续办理</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Customer gave up</source>
        <translation>客户放弃</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
</context>
<context>
    <name>CountersTab</name>
    <message>
        <location filename="../../app/ui/supervisor/hall_tables.py" line="+157"/>
        <source>Code</source>
        <translation>编码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. C05</source>
        <translation>例如 C05</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>e.g. 5号柜台</source>
        <translation>例如 5号柜台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Add counter</source>
        <translation>添加柜台</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>New counter</source>
        <translation>新柜台</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>A counter is added or renamed when you save; counters are never removed (their orders keep them).</source>
        <translation>柜台在保存时才会添加或改名；柜台不会被删除（其订单仍需引用）。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>batch channel</source>
        <translation>批量通道</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>new counter</source>
        <translation>新增柜台</translation>
    </message>
</context>
<context>
    <name>CountsForm</name>
    <message>
        <location filename="../../app/ui/day/common.py" line="+94"/>
        <source>Cards, invoices and gifts</source>
        <translation>卡、发票和礼品</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>e.g. 00010001</source>
        <translation>例如 00010001</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>First blank invoice no.</source>
        <translation>空白发票起始号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Last blank invoice no.</source>
        <translation>空白发票终止号</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cash by denomination</source>
        <translation>现金（按面额清点）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Denomination</source>
        <translation>面额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pieces</source>
        <translation>张/枚数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Subtotal (yuan)</source>
        <translation>小计（元）</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Settlement slips (non-cash)</source>
        <translation>非现金结算单</translation>
    </message>
    <message>
        <location line="+13"/>
        <source> yuan</source>
        <translation> 元</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>%1 yuan</source>
        <translation>%1 元</translation>
    </message>
</context>
<context>
    <name>CustomerPage</name>
    <message>
        <location filename="../../app/ui/wizard/pages_start.py" line="+148"/>
        <source>Customer and line</source>
        <translation>客户与号码</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>For the customer found at the counter</source>
        <translation>为当前查到的客户办理</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+6"/>
        <source>New customer</source>
        <translation>新客户</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Presents a non-local ID (advance or prepaid only)</source>
        <translation>出示外地身份证（须预存款或仅办理预付费）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Customer kind</source>
        <translation>客户类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ID document</source>
        <translation>证件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unit name</source>
        <translation>单位名称</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unit registration</source>
        <translation>单位证件</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>No customer chosen</source>
        <translation>未选择客户</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>arrears {amount}</source>
        <translation>欠费 {amount}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>This service is for an existing line: cancel, find the customer at the counter first, then start the service again.</source>
        <translation>此业务针对已有号码：请取消，先在主界面查找客户，再重新办理。</translation>
    </message>
    <message>
        <source>Contact name</source>
        <translation type="vanished">联系人姓名</translation>
    </message>
</context>
<context>
    <name>CustomerPanel</name>
    <message>
        <location filename="../../app/ui/counter/customer_panel.py" line="+200"/>
        <source>No customer selected</source>
        <translation>未选择客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Find a customer on the left, or put their ID card on the reader. A new line (F2) needs no customer.</source>
        <translation>请在左侧查找客户，或将身份证放在读卡器上。新装（F2）无需先选客户。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Contact: {name}</source>
        <translation>联系人：{name}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} line(s)</source>
        <translation>{count} 个号码</translation>
    </message>
</context>
<context>
    <name>CustomerScreen</name>
    <message>
        <location filename="../../app/ui/customer/screen.py" line="+28"/>
        <source>Please read and sign</source>
        <translation>请阅读并签名</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Please read the acceptance slip. If it is right, sign below.</source>
        <translation>请阅读业务受理单，确认无误后在下方签名。</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Clear and sign again</source>
        <translation>清除重签</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed</source>
        <translation>签好了</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Esc: back to the clerk</source>
        <translation>Esc：返回营业员界面</translation>
    </message>
</context>
<context>
    <name>CustomerSigning</name>
    <message>
        <location filename="../../app/ui/customer/signing.py" line="+89"/>
        <source>Preparing the acceptance slip...</source>
        <translation>正在生成业务受理单…</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>The slip cannot be shown to the customer: {why}</source>
        <translation>无法向客户展示受理单：{why}</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Turned to the customer: Esc on that screen comes back.</source>
        <translation>已转向客户：在客户屏幕上按 Esc 可返回。</translation>
    </message>
</context>
<context>
    <name>DataTools</name>
    <message>
        <location filename="../../app/ui/counter/data_tools.py" line="+82"/>
        <source>Export data...</source>
        <translation>导出数据…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back up now</source>
        <translation>立即备份</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Copy the database into the backups folder now</source>
        <translation>立即将数据库复制到备份文件夹</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export data</source>
        <translation>导出数据</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Only a supervisor or the hall manager may export the hall&apos;s data.</source>
        <translation>只有值班长或营业厅经理可以导出营业厅数据。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>The day&apos;s backup was made: {path}</source>
        <translation>今日自动备份已完成：{path}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The day&apos;s backup failed: {message}</source>
        <translation>今日自动备份失败：{message}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Backing up...</source>
        <translation>正在备份…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Backup made: {path}</source>
        <translation>备份已完成：{path}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Backup made</source>
        <translation>备份已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The database was copied and checked:
{path}
({size})</source>
        <translation>数据库已复制并校验通过：
{path}
（{size}）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Backup failed</source>
        <translation>备份失败</translation>
    </message>
</context>
<context>
    <name>DayOrdersTab</name>
    <message>
        <location filename="../../app/ui/supervisor/window.py" line="+81"/>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Open record</source>
        <translation>查看订单</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>From</source>
        <translation>从</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>All services</source>
        <translation>全部业务</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>All counters</source>
        <translation>全部柜台</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>All clerks</source>
        <translation>全部营业员</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Loading...</source>
        <translation>正在加载…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{count} orders, {amount} yuan accepted</source>
        <translation>共 {count} 笔订单，已受理金额 {amount} 元</translation>
    </message>
</context>
<context>
    <name>DetailsPage</name>
    <message>
        <location filename="../../app/ui/wizard/pages_input.py" line="+265"/>
        <source>Details</source>
        <translation>业务信息</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+33"/>
        <source>Fields marked * are required.</source>
        <translation>带 * 的为必填项。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing to record for this service.</source>
        <translation>此业务无需填写其他信息。</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Checking the request...</source>
        <translation>正在核查受理条件…</translation>
    </message>
</context>
<context>
    <name>DevicesDialog</name>
    <message>
        <location filename="../../app/ui/settings/devices_dialog.py" line="+70"/>
        <source>Devices of this workstation</source>
        <translation>本机外接设备</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Saved in {path}</source>
        <translation>保存在 {path}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Test all</source>
        <translation>全部测试</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>ID card reader</source>
        <translation>身份证读卡器</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A4 printer</source>
        <translation>A4 打印机</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Scanner</source>
        <translation>扫描仪</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queue caller</source>
        <translation>叫号器</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Test</source>
        <translation>测试</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Not tested yet.</source>
        <translation>尚未测试。</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Browse...</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Choose the file</source>
        <translation>选择文件</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>Testing...</source>
        <translation>正在测试…</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>The device settings could not be saved: {error}</source>
        <translation>无法保存设备设置：{error}</translation>
    </message>
</context>
<context>
    <name>DocumentRow</name>
    <message>
        <location filename="../../app/ui/wizard/pages_input.py" line="-263"/>
        <source>(only where it applies)</source>
        <translation>（视情况需要）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Original checked</source>
        <translation>原件已验</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Copy retained</source>
        <translation>复印留存</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Number on the document (to check it)</source>
        <translation>证件号码（用于核对）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attach scan...</source>
        <translation>附扫描件…</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>Attach scan</source>
        <translation>附扫描件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Images and PDF (*.png *.jpg *.jpeg *.pdf)</source>
        <translation>图片和 PDF（*.png *.jpg *.jpeg *.pdf）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>File too large (over 20 MB)</source>
        <translation>文件过大（超过 20 MB）</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cannot read the file: {error}</source>
        <translation>无法读取文件：{error}</translation>
    </message>
    <message>
        <location line="-73"/>
        <location line="+83"/>
        <source>Scan</source>
        <translation>扫描</translation>
    </message>
    <message>
        <location line="-81"/>
        <source>Scan the paper with this counter&apos;s scanner or document camera</source>
        <translation>用本柜台的扫描仪或高拍仪扫描这份证件</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>Cancel scan</source>
        <translation>取消扫描</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scanning… (press Cancel scan to stop)</source>
        <translation>正在扫描…（点“取消扫描”可停止）</translation>
    </message>
</context>
<context>
    <name>DocumentsPage</name>
    <message>
        <location line="+31"/>
        <source>Papers checked</source>
        <translation>查验资料</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>The presenter&apos;s own ID was not entered: go back and enter it, or the request stays incomplete.</source>
        <translation>未录入办理人本人证件：请返回录入，否则本次申请资料不全。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The presenter&apos;s own ID was entered on the previous page and counts as seen. Tick each paper whose original you checked, and whether a copy is kept.</source>
        <translation>办理人本人证件已在上一步登记，视为已查验。请逐项勾选已查验原件的资料，以及是否复印留存。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No other papers are needed for this service: the presenter&apos;s own ID is enough.</source>
        <translation>此业务无需其他资料：办理人本人证件即可。</translation>
    </message>
</context>
<context>
    <name>DonePage</name>
    <message>
        <location filename="../../app/ui/wizard/pages_done.py" line="+40"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <source>Print</source>
        <translation type="vanished">打印</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Print the papers not printed yet, choosing the printer (Ctrl+P)</source>
        <translation>打印尚未打印的单据，可选择打印机（Ctrl+P）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Reprint the arrears receipt</source>
        <translation>补打欠费缴费收据</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Another service for this customer</source>
        <translation>为该客户办理其他业务</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Finish: next customer</source>
        <translation>完成，接待下一位</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Order {order_no} recorded</source>
        <translation>订单 {order_no} 已受理</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Total paid: {amount} yuan</source>
        <translation>实收合计：{amount} 元</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Takes effect: {when}</source>
        <translation>生效时间：{when}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Follow-up: {task}, due {due}</source>
        <translation>跟进事项：{task}，期限 {due}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Printing the papers...</source>
        <translation>正在生成单据…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Recorded in the intake log: {decision}</source>
        <translation>已记入受理登记：{decision}</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Go on: {service} (Enter)</source>
        <translation>继续办理：{service}（Enter）</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Arrears payment {order_no}, {amount} yuan</source>
        <translation>欠费缴费 {order_no}，{amount} 元</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>printing...</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Papers saved: {files}</source>
        <translation>单据已保存：{files}</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Print: {paper}</source>
        <translation>打印：{paper}</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Printing...</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Printing again (marked as reprint)...</source>
        <translation>正在补打（标注“补打”）…</translation>
    </message>
</context>
<context>
    <name>EmptyDatabaseDialog</name>
    <message>
        <location filename="../../app/ui/shell/setup_dialogs.py" line="+172"/>
        <source>New database</source>
        <translation>新数据库</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>This database has no staff accounts yet.

Load a demo hall to try the program (staff S001, C001, C002, M001, A001; password demo1234), or set up this hall for real use.</source>
        <translation>此数据库中还没有员工账号。

可装入示例营业厅试用本程序（工号 S001、C001、C002、M001、A001，密码 demo1234），或为本营业厅进行正式的初始设置。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Load demo hall</source>
        <translation>装入示例营业厅</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Set up this hall</source>
        <translation>初始设置本营业厅</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../app/ui/data/export_dialog.py" line="+79"/>
        <source>Export data</source>
        <translation>导出数据</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>CSV (Excel, UTF-8)</source>
        <translation>CSV（可用 Excel 打开，UTF-8）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Excel workbook (XLSX)</source>
        <translation>Excel 工作簿（XLSX）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>JSON Lines (for import)</source>
        <translation>JSON Lines（用于导入）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Masked personal data (recommended)</source>
        <translation>个人信息脱敏（推荐）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Full names and ID numbers (supervisor, reason required)</source>
        <translation>完整姓名和证件号码（限值班长，须填写原因）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Only a supervisor may export unmasked data.</source>
        <translation>只有值班长可以导出未脱敏数据。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Why the full data is needed (recorded in the audit log)</source>
        <translation>需要完整数据的原因（将记入审计日志）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Browse...</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>From</source>
        <translation>起始日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To</source>
        <translation>截止日期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Folder</source>
        <translation>保存位置</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open folder</source>
        <translation>打开文件夹</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Folder for the export</source>
        <translation>选择导出文件夹</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>The end date is before the start date.</source>
        <translation>截止日期早于起始日期。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Enter the reason for an unmasked export.</source>
        <translation>导出未脱敏数据须填写原因。</translation>
    </message>
    <message>
        <location line="+13"/>
        <location line="+3"/>
        <source>Exporting...</source>
        <translation>正在导出…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>masked</source>
        <translation>已脱敏</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>UNMASKED</source>
        <translation>未脱敏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exported ({kind}) to {folder}: {rows}.</source>
        <translation>已导出（{kind}）到 {folder}：{rows}。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>orders</source>
        <translation>订单</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>intake log</source>
        <translation>受理登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>follow-ups</source>
        <translation>跟进任务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>shifts</source>
        <translation>班次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>complaints</source>
        <translation>投诉</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>audit events</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Export cancelled; nothing was written.</source>
        <translation>导出已取消，未写入任何文件。</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <location filename="../../app/ui/shell/setup_dialogs.py" line="+27"/>
        <source>Set up this hall</source>
        <translation>初始设置本营业厅</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Hall manager (serves customers and administers)</source>
        <translation>营业厅经理（可受理业务并管理）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administrator (administers only)</source>
        <translation>系统管理员（仅管理）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>At least 8 characters with letters and digits; not the staff number.</source>
        <translation>至少 8 个字符，须同时包含字母和数字，不能包含工号。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hall name</source>
        <translation>营业厅名称</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hall code</source>
        <translation>营业厅编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Carrier</source>
        <translation>运营商</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This counter&apos;s code</source>
        <translation>本机柜台编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administrator&apos;s staff number</source>
        <translation>管理员工号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administrator&apos;s name</source>
        <translation>管理员姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password again</source>
        <translation>再次输入密码</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Set up</source>
        <translation>完成设置</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>FollowUpsTab</name>
    <message>
        <location filename="../../app/ui/supervisor/window.py" line="+76"/>
        <source>Open</source>
        <translation>未完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Task</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Overdue</source>
        <translation>已超期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>In time</source>
        <translation>未超期</translation>
    </message>
</context>
<context>
    <name>HallSettingsDialog</name>
    <message>
        <location filename="../../app/ui/supervisor/hall_settings.py" line="+59"/>
        <source>Hall settings</source>
        <translation>营业厅设置</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Settings</source>
        <translation>参数设置</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tariff</source>
        <translation>收费标准</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Counters</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>hall</source>
        <translation>本厅</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{code} {name} - business date {day}</source>
        <translation>{code} {name} - 营业日 {day}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Changes are checked, recorded in the audit trail and in force at once. &quot;default&quot;: the value of the default file (hall.toml); &quot;hall&quot;: this hall&apos;s own value.</source>
        <translation>修改经校验后记入审计记录，并立即生效。“默认”：默认配置文件（hall.toml）中的值；“本厅”：本营业厅自行设置的值。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>You can look at the settings. Changing them needs a hall manager or a system administrator.</source>
        <translation>您可以查看设置。修改设置须由营业厅经理或系统管理员进行。</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Nothing has changed.</source>
        <translation>没有任何修改。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Saved.</source>
        <translation>已保存。</translation>
    </message>
</context>
<context>
    <name>HallSettingsEntry</name>
    <message>
        <location filename="../../app/ui/supervisor/hall_menu.py" line="+33"/>
        <source>Hall settings...</source>
        <translation>营业厅设置…</translation>
    </message>
</context>
<context>
    <name>HandoverForm</name>
    <message>
        <location filename="../../app/ui/counter/todo_forms.py" line="+13"/>
        <source>Hand over</source>
        <translation>转交</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>To</source>
        <translation>转交给</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>转交原因</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <location line="+28"/>
        <source>Hand-over history</source>
        <translation>转交记录</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>When</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>From</source>
        <translation>转出人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To</source>
        <translation>接收人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>By</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reason</source>
        <translation>转交原因</translation>
    </message>
</context>
<context>
    <name>HistoryPanel</name>
    <message>
        <location filename="../../app/ui/counter/history.py" line="+170"/>
        <source>Their orders and open items show here.</source>
        <translation>此处显示客户的订单和未办结事项。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Loading the customer&apos;s history…</source>
        <translation>正在加载客户的历史记录…</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>No orders recorded for this customer yet.</source>
        <translation>该客户尚无订单记录。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Follow-up</source>
        <translation>跟进事项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complaint to answer</source>
        <translation>投诉待答复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complaint follow-up visit</source>
        <translation>投诉待回访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fault to restore</source>
        <translation>障碍待修复</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>no date</source>
        <translation>无期限</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>overdue since {when}</source>
        <translation>期限 {when}，已逾期</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>due {when}</source>
        <translation>期限 {when}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>owner {name}</source>
        <translation>负责人 {name}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Contact</source>
        <translation>联系人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Key person</source>
        <translation>关键人</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Use as the unit&apos;s agent</source>
        <translation>设为经办人</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Open for this customer ({count})</source>
        <translation>该客户的未办结事项 ({count})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The unit&apos;s contact and key persons</source>
        <translation>单位联系人与关键人</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Latest {count} orders (older ones in the supervisor&apos;s record)</source>
        <translation>最近 {count} 笔订单（更早的订单请在值班长的订单查询中查看）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Orders ({count})</source>
        <translation>订单 ({count})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
</context>
<context>
    <name>IdCardReader</name>
    <message>
        <source>The ID card could not be read. Please put the card on the reader again.</source>
        <translation type="vanished">未能读取身份证，请将证件重新放到阅读器上。</translation>
    </message>
    <message>
        <location filename="../../app/ui/devices/idcard_reader.py" line="+179"/>
        <source>The ID card reader is not working. Please check its cable.</source>
        <translation>身份证阅读器无法工作，请检查连接线。</translation>
    </message>
</context>
<context>
    <name>IdCheck</name>
    <message>
        <location filename="../../app/ui/wizard/fields.py" line="+58"/>
        <source>recorded as typed (this paper&apos;s number has no check)</source>
        <translation>按录入内容登记（此类证件号码无法校验）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>number valid</source>
        <translation>号码校验通过</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>born {born}, {age} years old</source>
        <translation>出生日期 {born}，{age} 岁</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>under 16 ({age}): a household register is needed</source>
        <translation>未满16周岁（{age}岁），应出示户口簿</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>does not match the customer&apos;s registered ID</source>
        <translation>与客户登记的证件号码不一致</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>matches the record</source>
        <translation>与登记证件一致</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>, </source>
        <translation>，</translation>
    </message>
</context>
<context>
    <name>IntakeTab</name>
    <message>
        <location filename="../../app/ui/supervisor/window.py" line="-91"/>
        <source>All</source>
        <translation>全部</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Show</source>
        <translation>查询</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Day</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+27"/>
        <source>Decision</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Line</source>
        <translation>号码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
</context>
<context>
    <name>KeySetupDialog</name>
    <message>
        <location filename="../../app/ui/shell/setup_dialogs.py" line="-213"/>
        <source>Personal data key</source>
        <translation>个人信息密钥</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>This computer has no secure keyring to keep the key that protects customers&apos; personal data (ID numbers, addresses). The program never stores personal data unprotected.

You can create a key file protected by a passphrase. Keep the passphrase safe: without it the data cannot be read.

For unattended runs, set the environment variables COUNTER_KEY_FILE (the file&apos;s path) and COUNTER_KEY_PASSPHRASE.</source>
        <translation>本机没有可安全保存密钥的系统钥匙串。该密钥用于保护客户个人信息（证件号码、地址），本程序绝不以明文保存个人信息。

您可以创建一个由口令保护的密钥文件。请妥善保管口令：丢失口令将无法读取数据。

无人值守运行时，请设置环境变量 COUNTER_KEY_FILE（密钥文件路径）和 COUNTER_KEY_PASSPHRASE。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The personal data key is kept in a key file protected by a passphrase. Enter the passphrase to open it.

For unattended runs, set the environment variables COUNTER_KEY_FILE and COUNTER_KEY_PASSPHRASE.</source>
        <translation>个人信息密钥保存在由口令保护的密钥文件中。请输入口令以打开。

无人值守运行时，请设置环境变量 COUNTER_KEY_FILE 和 COUNTER_KEY_PASSPHRASE。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Browse...</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+27"/>
        <location line="+3"/>
        <source>Key file</source>
        <translation>密钥文件</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>Passphrase</source>
        <translation>口令</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Passphrase again</source>
        <translation>再次输入口令</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Create key file</source>
        <translation>创建密钥文件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Choose where the key file is kept.</source>
        <translation>请选择密钥文件的保存位置。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A file already exists there; it is never overwritten. Choose another path or open that key file instead.</source>
        <translation>该位置已有文件，不会被覆盖。请选择其他路径，或改为打开该密钥文件。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>The two passphrases differ.</source>
        <translation>两次输入的口令不一致。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Enter the passphrase.</source>
        <translation>请输入口令。</translation>
    </message>
</context>
<context>
    <name>LineCard</name>
    <message>
        <location filename="../../app/ui/counter/customer_panel.py" line="-161"/>
        <source>Balance {balance} · points {points}</source>
        <translation>余额 {balance} · 积分 {points}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Conflict awaiting the supervisor</source>
        <translation>冲突待主管处理</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Arrears {amount} yuan</source>
        <translation>欠费 {amount} 元</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Suspended, number kept</source>
        <translation>停机保号</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Real-name: {what}</source>
        <translation>实名：{what}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>In contract until {day}</source>
        <translation>合约期至 {day}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Number locked until {day}</source>
        <translation>号码锁定至 {day}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Prepaid: {phase}</source>
        <translation>预付费·{phase}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Prepaid: lock expired</source>
        <translation>预付费·锁定期已过</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Blacklisted</source>
        <translation>黑名单</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Intl. roaming open</source>
        <translation>已开国际漫游</translation>
    </message>
</context>
<context>
    <name>LockScreen</name>
    <message>
        <location filename="../../app/ui/shell/lock_screen.py" line="+74"/>
        <source>The screen is locked</source>
        <translation>屏幕已锁定</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Logged in: %1 (%2)</source>
        <translation>当前登录：%1（%2）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your password</source>
        <translation>您的密码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unlock</source>
        <translation>解锁</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Supervisor unlock…</source>
        <translation>值班长解锁…</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Unlock as supervisor</source>
        <translation>以值班长身份解锁</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Supervisor staff no.</source>
        <translation>值班长工号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervisor password</source>
        <translation>值班长密码</translation>
    </message>
</context>
<context>
    <name>LoginWindow</name>
    <message>
        <location filename="../../app/ui/shell/login.py" line="+108"/>
        <source>Counter service - log in</source>
        <translation>柜台受理 - 登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Counter service system: please log in</source>
        <translation>营业厅柜台受理系统，请登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff number</source>
        <translation>工号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Password</source>
        <translation>密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Counter code</source>
        <translation>柜台编码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Business hall counter</source>
        <translation>营业厅柜台</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+25"/>
        <source>Opening the database...</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Enter your staff number and password.</source>
        <translation>请输入工号和密码。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The counter code is 1 to 8 letters or digits.</source>
        <translation>柜台编码应为 1 至 8 位字母或数字。</translation>
    </message>
</context>
<context>
    <name>NewPasswordForm</name>
    <message>
        <location filename="../../app/ui/supervisor/staff_dialogs.py" line="-43"/>
        <source>Give the password to the staff member in person: they must change it when they next log in.</source>
        <translation>请当面将密码交给该员工：其下次登录时必须修改密码。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;New password</source>
        <translation>新密码(&amp;N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>New password &amp;again</source>
        <translation>再次输入新密码(&amp;A)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Enter the new password.</source>
        <translation>请输入新密码。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The two passwords differ.</source>
        <translation>两次输入的密码不一致。</translation>
    </message>
</context>
<context>
    <name>OrderRecordDialog</name>
    <message>
        <location filename="../../app/ui/supervisor/record.py" line="+108"/>
        <source>Order {order_no}</source>
        <translation>订单 {order_no}</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Void order...</source>
        <translation>作废订单…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>No such order.</source>
        <translation>没有此订单。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Status: {state}</source>
        <translation>状态：{state}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Recorded: {when} at counter {counter} by {clerk}</source>
        <translation>受理时间：{when}，{counter} 号柜台，营业员 {clerk}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Customer: {name} {id}</source>
        <translation>客户：{name} {id}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Line: {line}</source>
        <translation>号码：{line}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Presented by: {role} {name} {id}</source>
        <translation>办理人：{role} {name} {id}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Total: {amount} yuan</source>
        <translation>合计：{amount} 元</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Voided: {reason}</source>
        <translation>已作废：{reason}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Papers checked</source>
        <translation>查验资料</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>None besides the presenter&apos;s own ID</source>
        <translation>除办理人本人证件外无其他资料</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>original checked</source>
        <translation>原件已验</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>original not checked</source>
        <translation>未验原件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>copy retained</source>
        <translation>复印留存</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>no copy</source>
        <translation>未留复印件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>scan {name} (SHA-256 {digest})</source>
        <translation>扫描件 {name}（SHA-256 {digest}）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Details</source>
        <translation>业务信息</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Fees and payments</source>
        <translation>费用与收款</translation>
    </message>
    <message>
        <location line="+6"/>
        <source> (tendered {tendered}, change {change})</source>
        <translation>（实收 {tendered}，找零 {change}）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Signature</source>
        <translation>签字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No signature (not needed for this service).</source>
        <translation>无签字（此业务无需签字）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>on paper</source>
        <translation>在纸面</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>on the signature pad</source>
        <translation>在签字板上</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Signed {kind} at {when}; content hash {digest}</source>
        <translation>于 {when} {kind}签字；内容摘要 {digest}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The hash matches the order.</source>
        <translation>摘要与订单内容一致。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The hash does NOT match the order.</source>
        <translation>摘要与订单内容不一致！</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Printed papers</source>
        <translation>已打印单据</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>reprint {n}</source>
        <translation>第 {n} 次补打</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>first print</source>
        <translation>首次打印</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Nothing printed yet.</source>
        <translation>尚未打印。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Follow-ups</source>
        <translation>跟进事项</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Audit trail</source>
        <translation>审计记录</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>authorized by</source>
        <translation>授权人</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Signed on paper</source>
        <translation>已在纸面签字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>No signature</source>
        <translation>无签字</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Order voided.</source>
        <translation>订单已作废。</translation>
    </message>
    <message>
        <source>View copy</source>
        <translation type="vanished">查看复印件</translation>
    </message>
    <message>
        <source>View the scan of the signed paper</source>
        <translation type="vanished">查看签字纸的扫描件</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Signature on paper</source>
        <translation>纸面签字</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{document} · order {order_no}</source>
        <translation>{document} · 订单 {order_no}</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <location filename="../../app/ui/counter/today.py" line="+46"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Customer</source>
        <translation>客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line</source>
        <translation>号码</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Clerk</source>
        <translation>营业员</translation>
    </message>
</context>
<context>
    <name>PastOrdersModel</name>
    <message>
        <location filename="../../app/ui/counter/history.py" line="-216"/>
        <source>Date</source>
        <translation>日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Order no.</source>
        <translation>订单号</translation>
    </message>
</context>
<context>
    <name>PaymentDialog</name>
    <message>
        <location filename="../../app/ui/wizard/pages_payment.py" line="+141"/>
        <source>Pay the arrears</source>
        <translation>缴清欠费</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amount to pay: {amount} yuan</source>
        <translation>应缴金额：{amount} 元</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Record the payment</source>
        <translation>确认收款</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>PaymentForm</name>
    <message>
        <location line="-60"/>
        <source>Payment method</source>
        <translation>付款方式</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cash tendered (yuan)</source>
        <translation>实收现金（元）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Change</source>
        <translation>找零</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reference (card slip, transaction no.)</source>
        <translation>凭证号（刷卡单、交易号）</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>{amount} yuan short</source>
        <translation>还差 {amount} 元</translation>
    </message>
</context>
<context>
    <name>PaymentPage</name>
    <message>
        <location line="+58"/>
        <source>Fees and payment</source>
        <translation>费用与收款</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Fee</source>
        <translation>费用项目</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total due: {amount} yuan</source>
        <translation>应收合计：{amount} 元</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
</context>
<context>
    <name>PresenterPage</name>
    <message>
        <location filename="../../app/ui/wizard/pages_start.py" line="+74"/>
        <source>Who is at the counter</source>
        <translation>办理人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The owner in person, or an agent with their own ID. Put an ID card on the reader to fill this in.</source>
        <translation>机主本人或代办人（出示本人证件）。将身份证放在读卡器上可自动填写。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>A unit is always represented by an agent (经办人), who shows their own ID.</source>
        <translation>单位客户一律由经办人办理，经办人出示本人证件。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>YYYY-MM-DD; empty when long-term</source>
        <translation>YYYY-MM-DD；长期有效则留空</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Presenter</source>
        <translation>办理人</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Own ID document</source>
        <translation>本人证件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Valid until</source>
        <translation>有效期至</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>Valid until: not a date (YYYY-MM-DD)</source>
        <translation>有效期至：不是有效日期（YYYY-MM-DD）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>This ID expired on {day}: it cannot be accepted.</source>
        <translation>此证件已于 {day} 过期，不能受理。</translation>
    </message>
</context>
<context>
    <name>PreviewDialog</name>
    <message>
        <location filename="../../app/ui/devices/preview.py" line="+73"/>
        <source>Print preview</source>
        <translation>打印预览</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Fit width</source>
        <translation>适合宽度</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Save as PDF…</source>
        <translation>另存为 PDF…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print…</source>
        <translation>打印…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+71"/>
        <source>Already printed: use Reprint for another copy (marked as such).</source>
        <translation>已打印：如需再打一份，请用“补打”（单据上会注明）。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Preparing the preview...</source>
        <translation>正在生成预览…</translation>
    </message>
    <message>
        <location line="+127"/>
        <source>Page {page} of {count}</source>
        <translation>第 {page} 页，共 {count} 页</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Print: {paper}</source>
        <translation>打印：{paper}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Printing...</source>
        <translation>正在打印…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Save as PDF</source>
        <translation>另存为 PDF</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>The PDF could not be saved there; choose another folder.</source>
        <translation>无法将 PDF 保存到该位置，请选择其他文件夹。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Saved as PDF: {name}</source>
        <translation>已另存为 PDF：{name}</translation>
    </message>
</context>
<context>
    <name>Printing</name>
    <message>
        <source>The print spooler (lp) is not installed.</source>
        <translation type="vanished">未安装打印队列程序（lp）。</translation>
    </message>
    <message>
        <source>Nothing to print.</source>
        <translation type="vanished">没有需要打印的单据。</translation>
    </message>
    <message>
        <source>No printer is set for {file} (see Settings). The PDF is kept: {path}</source>
        <translation type="vanished">未设置用于 {file} 的打印机（见“设置”）。PDF 已保存：{path}</translation>
    </message>
    <message>
        <source>Printer {printer} was not found. The PDF is kept: {path}</source>
        <translation type="vanished">找不到打印机 {printer}。PDF 已保存：{path}</translation>
    </message>
    <message>
        <source>Printing {file} failed ({error}). The PDF is kept: {path}</source>
        <translation type="vanished">打印 {file} 失败（{error}）。PDF 已保存：{path}</translation>
    </message>
    <message>
        <source>Sent to the printer: {files}</source>
        <translation type="vanished">已送打印：{files}</translation>
    </message>
</context>
<context>
    <name>QueueCallPanel</name>
    <message>
        <location filename="../../app/ui/counter/queue_call.py" line="+102"/>
        <source>Queue</source>
        <translation>排队叫号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Recall</source>
        <translation>重呼</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No-show</source>
        <translation>过号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type ticket...</source>
        <translation>手工录入…</translation>
    </message>
    <message>
        <location line="+73"/>
        <source>Calling...</source>
        <translation>正在叫号…</translation>
    </message>
    <message>
        <location line="-51"/>
        <source>Waiting time unknown (no time of issue)</source>
        <translation>等候时长未知（无取号时间）</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>Call next  {key}</source>
        <translation>叫号  {key}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Called at {time}</source>
        <translation>叫号时间 {time}</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Nobody is waiting.</source>
        <translation>当前无人等候。</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>Ticket {ticket} marked as a no-show.</source>
        <translation>{ticket} 号已记为过号。</translation>
    </message>
    <message>
        <location line="-110"/>
        <source>Nobody called yet. Press {key} to call the next customer.</source>
        <translation>尚未叫号。按 {key} 呼叫下一位顾客。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Waited {time}</source>
        <translation>已等候 {time}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Visit ended at {time}</source>
        <translation>接待结束于 {time}</translation>
    </message>
    <message>
        <location line="+91"/>
        <source>Ticket {ticket} called again.</source>
        <translation>已重呼 {ticket} 号。</translation>
    </message>
</context>
<context>
    <name>QueueFiguresTab</name>
    <message>
        <location filename="../../app/ui/day/queue_figures.py" line="+41"/>
        <source>Per service</source>
        <translation>按业务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Per clerk</source>
        <translation>按营业员</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Service / clerk</source>
        <translation>业务 / 营业员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Visits</source>
        <translation>人次</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Average wait</source>
        <translation>平均等候</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>90% waited at most</source>
        <translation>P90 等候</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Average handling</source>
        <translation>平均办理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>90% handled within</source>
        <translation>P90 办理</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>No queue tickets were called on this day.</source>
        <translation>当日没有叫号记录。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{visits} visits: average wait {wait} (90% within {wait90}), average handling {handle} (90% within {handle90}); {no_shows} no-shows, {serving} still being served.</source>
        <translation>共 {visits} 人次：平均等候 {wait}（90% 不超过 {wait90}），平均办理 {handle}（90% 不超过 {handle90}）；过号 {no_shows} 人，仍在接待 {serving} 人。（时长为 分:秒）</translation>
    </message>
</context>
<context>
    <name>QueueTicketDialog</name>
    <message>
        <location filename="../../app/ui/counter/queue_entry.py" line="+38"/>
        <source>Type the queue ticket</source>
        <translation>手工录入排队号</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>e.g. 09:41 (optional)</source>
        <translation>如 09:41（可不填）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The time printed on the ticket, if any: without it the customer&apos;s waiting time is not counted.</source>
        <translation>排队小票上印的取号时间（如有）：不填则不计该顾客的等候时长。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Ticket number</source>
        <translation>排队号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Time of issue</source>
        <translation>取号时间</translation>
    </message>
</context>
<context>
    <name>ReasonForm</name>
    <message>
        <location filename="../../app/ui/supervisor/staff_dialogs.py" line="+35"/>
        <source>Deactivate an account</source>
        <translation>停用账号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deactivate {staff_no} {name}?</source>
        <translation>停用 {staff_no} {name}？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Deactivate</source>
        <translation>停用</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The account can no longer log in; its orders keep its name.</source>
        <translation>停用后该账号不能再登录；其经办的订单仍保留其姓名。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Reason</source>
        <translation>原因(&amp;R)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Enter the reason.</source>
        <translation>请填写原因。</translation>
    </message>
</context>
<context>
    <name>RefundApprovalDialog</name>
    <message>
        <location filename="../../app/ui/wizard/refund_approval.py" line="+44"/>
        <source>Supervisor authorization</source>
        <translation>值班长授权</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>A refund of {amount} yuan needs a supervisor&apos;s approval.</source>
        <translation>退款 {amount} 元需要值班长授权。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The supervisor enters their own staff number and password at this counter. The order records both of you.</source>
        <translation>请值班长在本柜台输入本人工号和密码；订单将同时记录营业员和值班长。</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Refund {amount} yuan</source>
        <translation>退款 {amount} 元</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Supervisor staff no.</source>
        <translation>值班长工号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervisor password</source>
        <translation>值班长密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>授权原因</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+66"/>
        <source>Authorize</source>
        <translation>授权</translation>
    </message>
    <message>
        <location line="-62"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Enter the supervisor&apos;s staff number and password.</source>
        <translation>请输入值班长工号和密码。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Enter the reason for the refund.</source>
        <translation>请填写退款原因。</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Checking...</source>
        <translation>正在核对…</translation>
    </message>
</context>
<context>
    <name>RevenueTab</name>
    <message>
        <location filename="../../app/ui/day/signoff_revenue.py" line="+48"/>
        <source>By payment method (yuan)</source>
        <translation>按付款方式（元）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Per clerk (yuan)</source>
        <translation>按营业员（元）</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Orders paid</source>
        <translation>收款笔数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Total (yuan)</source>
        <translation>合计（元）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Total</source>
        <translation>合计</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Revenue %1 yuan (received %2, paid out %3), voided orders left out.</source>
        <translation>营业收入 %1 元（收款 %2，退款 %3），不含已作废订单。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No money was taken on this day.</source>
        <translation>当日无收款。</translation>
    </message>
</context>
<context>
    <name>RoleForm</name>
    <message>
        <location filename="../../app/ui/supervisor/staff_dialogs.py" line="+8"/>
        <source>Set the role</source>
        <translation>设置角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Role of {staff_no} {name}</source>
        <translation>{staff_no} {name} 的角色</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set role</source>
        <translation>设置角色</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Giving rights beyond a clerk&apos;s needs a second supervisor&apos;s confirmation.</source>
        <translation>授予高于营业员的权限，须由另一名值班长确认。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Role</source>
        <translation>角色(&amp;R)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Choose a different role.</source>
        <translation>请选择一个不同的角色。</translation>
    </message>
</context>
<context>
    <name>ScanViewer</name>
    <message>
        <location filename="../../app/ui/devices/scan_viewer.py" line="+96"/>
        <source>Loading the copy…</source>
        <translation>正在载入复印件…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&lt; Previous page</source>
        <translation>&lt; 上一页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next page &gt;</source>
        <translation>下一页 &gt;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Fit</source>
        <translation>适合窗口</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>SHA-256 {digest}… verified</source>
        <translation>SHA-256 {digest}… 已核对</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>no hash recorded for this copy</source>
        <translation>此复印件没有记录哈希值</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Page {n} of {total}</source>
        <translation>第 {n} 页，共 {total} 页</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../../app/ui/counter/search.py" line="+192"/>
        <source>Find customer</source>
        <translation>查找客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ID number, line number or name</source>
        <translation>证件号码、手机号码或姓名</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Type an 18-character ID number, the start of a line number, or of a name. F1 goes here.</source>
        <translation>输入18位证件号码、号码开头几位或姓名开头。按 F1 回到此处。</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>No customer found.</source>
        <translation>未找到客户。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} found</source>
        <translation>找到 {count} 位</translation>
    </message>
</context>
<context>
    <name>SecondPersonForm</name>
    <message>
        <location filename="../../app/ui/supervisor/staff_dialogs.py" line="+11"/>
        <source>Second supervisor</source>
        <translation>第二名值班长确认</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Confirm</source>
        <translation>确认</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Two-person rule: another supervisor types their own staff number and password here. The record names both of you.</source>
        <translation>两人规则：请另一名值班长在此输入其本人的工号和密码。记录中将同时留下你们两人的姓名。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Supervisor&apos;s &amp;staff number</source>
        <translation>值班长工号(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervisor&apos;s &amp;password</source>
        <translation>值班长密码(&amp;P)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Enter the supervisor&apos;s staff number and password.</source>
        <translation>请输入值班长工号和密码。</translation>
    </message>
</context>
<context>
    <name>ServiceLauncher</name>
    <message>
        <location filename="../../app/ui/counter/launcher.py" line="+99"/>
        <source>Common services</source>
        <translation>常用业务</translation>
    </message>
</context>
<context>
    <name>ServicePage</name>
    <message>
        <location filename="../../app/ui/wizard/pages_start.py" line="-427"/>
        <source>Service</source>
        <translation>选择业务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Choose the service the customer asks for (or press its key).</source>
        <translation>选择客户要办理的业务（或按对应功能键）。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Type to filter services</source>
        <translation>输入以筛选业务</translation>
    </message>
</context>
<context>
    <name>ServiceWizard</name>
    <message>
        <location filename="../../app/ui/wizard/wizard.py" line="+118"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back</source>
        <translation>上一步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer gave up</source>
        <translation>客户放弃</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Finish</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+125"/>
        <source>Service</source>
        <translation>业务受理</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Service: {name}</source>
        <translation>业务受理：{name}</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Cancel the line?</source>
        <translation>确认销户？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line {line} will be closed. This cannot be undone. Submit the cancellation?</source>
        <translation>号码 {line} 将被销户，此操作不可撤销。确认提交销户？</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Yes, close the line</source>
        <translation>是，销户(&amp;Y)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;No, go back</source>
        <translation>否，返回(&amp;N)</translation>
    </message>
    <message>
        <source>Yes, close the line</source>
        <translation type="vanished">是，销户</translation>
    </message>
    <message>
        <source>No, go back</source>
        <translation type="vanished">否，返回</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>Not recorded</source>
        <translation>未能记录</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Customer gave up?</source>
        <translation>客户放弃办理？</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>End this request? It is recorded in the intake log as abandoned.</source>
        <translation>结束本次受理？将在受理登记中记为“放弃”。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Yes, record as abandoned</source>
        <translation>是，记为放弃</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No, go on</source>
        <translation>否，继续办理</translation>
    </message>
</context>
<context>
    <name>SessionController</name>
    <message>
        <location filename="../../app/ui/shell/session.py" line="+115"/>
        <source>Cannot start</source>
        <translation>无法启动</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>The key file cannot be written there ({error}). Choose another place.</source>
        <translation>密钥文件无法写入该位置（{error}），请另选位置。</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Loading the demo hall...</source>
        <translation>正在装入示例营业厅…</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../app/ui/settings/dialog.py" line="+29"/>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location line="+17"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>empty: no sync</source>
        <translation>留空则不同步</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The hall&apos;s PostgreSQL server, e.g. postgresql+psycopg://counter@hall-server/hall. The password is kept in the system keyring (counter sync --set-password), never here.</source>
        <translation>营业厅的 PostgreSQL 服务器，例如 postgresql+psycopg://counter@hall-server/hall。密码保存在系统钥匙串中（counter sync --set-password），不填写在这里。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Printers found on this computer: {names}</source>
        <translation>本机可用打印机：{names}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Language</source>
        <translation>界面语言</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A4 printer (slips)</source>
        <translation>A4 打印机（受理单）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Receipt printer</source>
        <translation>小票打印机</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lock the screen after</source>
        <translation>无操作自动锁屏</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sync server</source>
        <translation>同步服务器</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Devices...</source>
        <translation>外接设备…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>The sync server must be a PostgreSQL address without a password, such as postgresql+psycopg://counter@hall-server/hall; leave it empty for no sync.</source>
        <translation>同步服务器须填写不含密码的 PostgreSQL 地址，例如 postgresql+psycopg://counter@hall-server/hall；留空则不同步。</translation>
    </message>
</context>
<context>
    <name>ShiftCloseDialog</name>
    <message>
        <location filename="../../app/ui/day/shift_close.py" line="+66"/>
        <location line="+58"/>
        <source>Close shift</source>
        <translation>交班</translation>
    </message>
    <message>
        <location line="-56"/>
        <source>Loading the shift…</source>
        <translation>正在读取班次…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Item</source>
        <translation>项目</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Expected</source>
        <translation>应有</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Counted</source>
        <translation>实点</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Difference</source>
        <translation>差异</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Explanation</source>
        <translation>差异说明</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Supervisor approval (beyond tolerance)</source>
        <translation>值班长审批（差异超出容差）</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Supervisor staff no.</source>
        <translation>值班长工号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervisor password</source>
        <translation>值班长密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approval note</source>
        <translation>审批意见</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Counter %1 · %2 · business date %3</source>
        <translation>%1 柜台 · %2 · 营业日 %3</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The next blank invoice should be no. %1</source>
        <translation>下一张空白发票应为 %1 号</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Why is there a difference?</source>
        <translation>差异原因</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>The shift cannot be closed</source>
        <translation>无法交班</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>A difference is beyond the tolerance: the supervisor enters their staff number and password.</source>
        <translation>有差异超出容差：须值班长输入本人工号和密码审批。</translation>
    </message>
</context>
<context>
    <name>ShiftOpenDialog</name>
    <message>
        <location filename="../../app/ui/day/shift_open.py" line="+85"/>
        <location line="+48"/>
        <source>Open shift</source>
        <translation>开班</translation>
    </message>
    <message>
        <location line="-46"/>
        <source>Counter %1 · %2 (%3)</source>
        <translation>%1 柜台 · %2（%3）</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Three cleans, three checks</source>
        <translation>三清三检</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Clean</source>
        <translation>清洁</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Count</source>
        <translation>清点</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Check</source>
        <translation>检查</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Staff</source>
        <translation>人员</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Checks not passed: what is wrong and what was done</source>
        <translation>未通过的检查项：问题及处理情况</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Some checks are not ticked: say what is wrong in the note, or tick them.</source>
        <translation>有检查项未勾选：请在说明中写明问题，或勾选该项。</translation>
    </message>
</context>
<context>
    <name>SignaturePad</name>
    <message>
        <location filename="../../app/ui/kit/signature_pad.py" line="+106"/>
        <location line="+179"/>
        <source>Signature pad</source>
        <translation>签名板</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Please sign here</source>
        <translation>请在此处签名</translation>
    </message>
</context>
<context>
    <name>SignaturePage</name>
    <message>
        <location filename="../../app/ui/wizard/pages_signature.py" line="+54"/>
        <source>Customer&apos;s signature</source>
        <translation>客户签字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The owner or agent signs to confirm the acceptance slip.</source>
        <translation>由机主或代办人签字确认业务受理单。</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Turn to customer</source>
        <translation>转向客户</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Show the acceptance slip and the signature pad full-screen to the customer</source>
        <translation>向客户全屏显示业务受理单和签名板</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Clear and sign again</source>
        <translation>清除重签</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Undo last stroke</source>
        <translation>撤销上一笔</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The customer signed on paper</source>
        <translation>客户已在纸面签字</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Attach scan of the signed paper...</source>
        <translation>附纸面签字扫描件…</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>{service} for {customer}{line}. Presented by {who}. Total {amount} yuan.</source>
        <translation>{customer}{line} 办理{service}，办理人：{who}，合计 {amount} 元。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Content hash bound to the signature: {digest}</source>
        <translation>签字绑定的内容摘要：{digest}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{service}: {amount} yuan</source>
        <translation>{service}：{amount} 元</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Waiting for the customer&apos;s signature.</source>
        <translation>等待客户签名。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>The customer has signed.</source>
        <translation>客户已签名。</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Attach scan</source>
        <translation>附扫描件</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Images and PDF (*.png *.jpg *.jpeg *.pdf)</source>
        <translation>图片和 PDF（*.png *.jpg *.jpeg *.pdf）</translation>
    </message>
</context>
<context>
    <name>SignoffChecklist</name>
    <message>
        <location filename="../../app/ui/day/signoff_checklist.py" line="+46"/>
        <source>Approve the difference…</source>
        <translation>审批差异…</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Must be settled</source>
        <translation>须处理</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>To acknowledge</source>
        <translation>须确认</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Before sign-off: nothing left to settle</source>
        <translation>签核前检查：没有待处理事项</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every shift is closed and approved, every order synced; no overdue complaint and no void after a shift&apos;s close.</source>
        <translation>所有班次均已交班并审核，所有订单均已同步；没有逾期投诉，也没有交班后的作废。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Before sign-off: %1 to settle, %2 to acknowledge</source>
        <translation>签核前检查：%1 项须处理，%2 项须确认</translation>
    </message>
</context>
<context>
    <name>SlipView</name>
    <message>
        <location filename="../../app/ui/customer/slip_view.py" line="+64"/>
        <source>Previous page</source>
        <translation>上一页</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Preparing the acceptance slip...</source>
        <translation>正在生成业务受理单…</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Page {page} of {count}</source>
        <translation>第 {page} 页，共 {count} 页</translation>
    </message>
</context>
<context>
    <name>StaffActions</name>
    <message>
        <location filename="../../app/ui/supervisor/staff_menu.py" line="+46"/>
        <source>Change my password...</source>
        <translation>修改我的密码…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Staff accounts...</source>
        <translation>员工账号…</translation>
    </message>
</context>
<context>
    <name>StaffForm</name>
    <message>
        <location filename="../../app/ui/supervisor/staff_dialogs.py" line="-196"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
</context>
<context>
    <name>StaffWindow</name>
    <message>
        <location filename="../../app/ui/supervisor/staff_window.py" line="+63"/>
        <location line="+1"/>
        <source>Staff accounts</source>
        <translation>员工账号</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Every change is recorded with your name. Rights beyond a clerk&apos;s need a second supervisor. A password you set must be changed by its owner at the next log-in.</source>
        <translation>每项修改都会记录您的姓名。授予高于营业员的权限须由另一名值班长确认。您设置的密码，账号本人须在下次登录时修改。</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Staff no.</source>
        <translation>工号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Name</source>
        <translation>姓名</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+66"/>
        <source>Active</source>
        <translation>启用</translation>
    </message>
    <message>
        <location line="-65"/>
        <source>Locked</source>
        <translation>锁定</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Must change password</source>
        <translation>须修改密码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Add...</source>
        <translation>添加(&amp;A)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reset &amp;password...</source>
        <translation>重置密码(&amp;P)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Unlock</source>
        <translation>解锁(&amp;U)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Set &amp;role...</source>
        <translation>设置角色(&amp;R)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Deactivate...</source>
        <translation>停用(&amp;D)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reac&amp;tivate...</source>
        <translation>重新启用(&amp;T)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Inactive</source>
        <translation>停用</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Locked until {time}</source>
        <translation>锁定至 {time}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>{staff_no} {name} added. Their first password must be changed at the first log-in.</source>
        <translation>已添加 {staff_no} {name}。首次登录时须修改初始密码。</translation>
    </message>
    <message>
        <location line="+10"/>
        <location line="+1"/>
        <source>Reset password</source>
        <translation>重置密码</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>New password for {staff_no} {name}</source>
        <translation>为 {staff_no} {name} 设置新密码</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Reactivate an account</source>
        <translation>重新启用账号</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Open {staff_no} {name} again with a new password</source>
        <translation>以新密码重新启用 {staff_no} {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reactivate</source>
        <translation>重新启用</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{staff_no} is active again; the new password must be changed at the next log-in.</source>
        <translation>{staff_no} 已重新启用；下次登录时须修改新密码。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Password of {staff_no} reset; it must be changed at the next log-in.</source>
        <translation>{staff_no} 的密码已重置；下次登录时须修改。</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{staff_no} is unlocked.</source>
        <translation>{staff_no} 已解锁。</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{staff_no} is deactivated.</source>
        <translation>{staff_no} 已停用。</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>{staff_no} is now: {role}.</source>
        <translation>{staff_no} 的角色已改为：{role}。</translation>
    </message>
</context>
<context>
    <name>StockDialog</name>
    <message>
        <location filename="../../app/ui/day/stock_dialog.py" line="+77"/>
        <source>Stock: on hand, receipts and transfers</source>
        <translation>库存：结存、入库与调拨</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>On hand per counter (a counter without an open shift shows what its next opening count should find)</source>
        <translation>各柜台结存（未开班的柜台显示其下次开班清点时应有的数量）</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Today&apos;s receipts and transfers</source>
        <translation>今日入库与调拨</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Counters</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Items</source>
        <translation>物品</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supplier / note</source>
        <translation>供货单位 / 备注</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Staff</source>
        <translation>经办人员</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Receipt (stock in)</source>
        <translation>入库</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>supplier, delivery note number</source>
        <translation>供货单位、出库单号</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Receive</source>
        <translation>入库</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+22"/>
        <location line="+34"/>
        <source>Item</source>
        <translation>物品</translation>
    </message>
    <message>
        <location line="-55"/>
        <location line="+22"/>
        <source>Quantity</source>
        <translation>数量</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>Supplier</source>
        <translation>供货单位</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+21"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="-16"/>
        <source>Transfer between counters</source>
        <translation>柜台间调拨</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Transfer</source>
        <translation>调拨</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>From counter</source>
        <translation>调出柜台</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>To counter</source>
        <translation>调入柜台</translation>
    </message>
    <message>
        <location line="+36"/>
        <source> (closed)</source>
        <translation>（未开班）</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>receipt</source>
        <translation>入库</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>transfer</source>
        <translation>调拨</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Received at {counter}: {items}</source>
        <translation>已入库到 {counter}：{items}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Transferred {source} → {target}: {items}</source>
        <translation>已调拨 {source} → {target}：{items}</translation>
    </message>
</context>
<context>
    <name>StockEntry</name>
    <message>
        <location filename="../../app/ui/day/stock_menu.py" line="+31"/>
        <source>Stock: on hand, receipts, transfers...</source>
        <translation>库存：结存、入库、调拨…</translation>
    </message>
</context>
<context>
    <name>SupervisorDayView</name>
    <message>
        <location filename="../../app/ui/day/day_view.py" line="+170"/>
        <source>Queue</source>
        <translation>排队叫号</translation>
    </message>
    <message>
        <location line="-79"/>
        <source>The hall&apos;s day</source>
        <translation>营业日管理</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Business date</source>
        <translation>营业日</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Save daily report (PDF)…</source>
        <translation>保存营业日报（PDF）…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Preview / print report…</source>
        <translation>预览 / 打印日报…</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+157"/>
        <source>Sign off the day</source>
        <translation>日结签核</translation>
    </message>
    <message>
        <location line="-152"/>
        <source>Corrections…</source>
        <translation>更正记录…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A signed-off day is corrected by linked entries, never edited</source>
        <translation>已签核的营业日只能通过关联的更正记录更正，不能直接修改</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+111"/>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location line="-111"/>
        <location line="+5"/>
        <location line="+3"/>
        <source>Clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Opened</source>
        <translation>开班</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Closed</source>
        <translation>交班</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Differences</source>
        <translation>差异</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Approved by</source>
        <translation>审批人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Due</source>
        <translation>时限</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>Order</source>
        <translation>单号</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Task</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Owner</source>
        <translation>首问负责人</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Overdue</source>
        <translation>逾期</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+3"/>
        <source>Service</source>
        <translation>业务</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Decision</source>
        <translation>结果</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Reasons</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kind</source>
        <translation>类别</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Orders per hour</source>
        <translation>每小时受理笔数</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Orders per service</source>
        <translation>各业务受理笔数</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Average handling time (minutes)</source>
        <translation>平均办理时长（分钟）</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Figures</source>
        <translation>统计</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Shifts</source>
        <translation>班次</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow-ups</source>
        <translation>后续事项</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected requests</source>
        <translation>拒办记录</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voids and refunds</source>
        <translation>作废与退款</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Revenue</source>
        <translation>营业收入</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>open</source>
        <translation>未交班</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>closed</source>
        <translation>已交班</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>approved</source>
        <translation>已审核</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>%1 (%2 beyond tolerance)</source>
        <translation>%1 项（%2 项超出容差）</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>overdue</source>
        <translation>已逾期</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>rejected</source>
        <translation>拒办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>incomplete</source>
        <translation>资料不全</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>void</source>
        <translation>作废</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>refund</source>
        <translation>退款</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Follow-ups (%1)</source>
        <translation>后续事项（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rejected requests (%1)</source>
        <translation>拒办记录（%1）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Voids and refunds (%1)</source>
        <translation>作废与退款（%1）</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Not signed off yet</source>
        <translation>尚未日结签核</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Signed off by %1 at %2 (audit #%3)</source>
        <translation>已由 %1 于 %2 签核（审计序号 %3）</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> · %1 corrections</source>
        <translation> · 更正 %1 条</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Batch channel</source>
        <translation>批量通道</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Counter orders: %1 · batch channel: %2 (%3 yuan) · handling time: average %4 min, longest %5 min over %6 orders</source>
        <translation>柜台受理 %1 笔 · 批量通道 %2 笔（%3 元）· 办理时长：%6 笔平均 %4 分钟，最长 %5 分钟</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Sign off %1? The day is then locked: later changes are recorded as corrections.</source>
        <translation>确认签核 %1？签核后当日锁定，之后的修改只能以更正记录登记。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>By signing off you acknowledge:</source>
        <translation>签核即表示您已知悉：</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Save daily report</source>
        <translation>保存营业日报</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF files (*.pdf)</source>
        <translation>PDF 文件 (*.pdf)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Report saved: %1</source>
        <translation>日报已保存：%1</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>Daily report {day}</source>
        <translation>营业日报 {day}</translation>
    </message>
</context>
<context>
    <name>SupervisorWindow</name>
    <message>
        <location filename="../../app/ui/supervisor/window.py" line="+74"/>
        <source>Supervisor: the day&apos;s business</source>
        <translation>值班长：当日业务</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Day&apos;s orders</source>
        <translation>当日订单</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Intake log</source>
        <translation>受理登记</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow-ups</source>
        <translation>跟进事项</translation>
    </message>
</context>
<context>
    <name>SyncConflictsEntry</name>
    <message>
        <location filename="../../app/ui/supervisor/conflicts.py" line="+285"/>
        <source>Sync conflicts...</source>
        <translation>同步冲突...</translation>
    </message>
</context>
<context>
    <name>SyncConflictsWindow</name>
    <message>
        <location line="-215"/>
        <location line="+1"/>
        <source>Sync conflicts</source>
        <translation>同步冲突</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Two counters changed the same line from the same version, and the changes cannot both hold. The server keeps the change that arrived first until you decide; the line takes no other change meanwhile. The order that does not take effect gets a follow-up (refund the fee or call the customer).</source>
        <translation>两个柜台基于同一版本修改了同一条线路，且两项业务不能同时成立。在您处理之前，服务器保留先到达的业务，该线路不能再办理其他变更。未生效的那笔订单会生成一条待办（退费或联系客户）。</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Conflict</source>
        <translation>冲突</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Line</source>
        <translation>线路</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kept on the server</source>
        <translation>服务器保留的业务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>The other order</source>
        <translation>另一笔业务</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Found</source>
        <translation>发现时间</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Why (kept with the decision), e.g. the customer confirmed the loss by phone</source>
        <translation>处理原因（随处理结果保存），例如：客户来电确认挂失</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Keep the server&apos;s version</source>
        <translation>保留服务器版本(&amp;K)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Apply the other order</source>
        <translation>采用另一笔业务(&amp;A)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Re&amp;fresh</source>
        <translation>刷新(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>No sync server is set up: the list is shown, deciding needs the server (Settings → Sync).</source>
        <translation>未设置同步服务器：只能查看列表，处理冲突需要连接服务器（设置 → 同步）。</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>Awaiting the supervisor</source>
        <translation>待主管处理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Kept the server&apos;s version</source>
        <translation>已保留服务器版本</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Applied the other order</source>
        <translation>已采用另一笔业务</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>No line conflicts.</source>
        <translation>没有线路冲突。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>status</source>
        <translation>状态</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>status before loss</source>
        <translation>挂失前状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>plan</source>
        <translation>套餐</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>SIM card</source>
        <translation>用户卡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>payment type</source>
        <translation>付费方式</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>balance</source>
        <translation>余额</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>arrears</source>
        <translation>欠费</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>points</source>
        <translation>积分</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>owner</source>
        <translation>机主</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>number</source>
        <translation>号码</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>roaming</source>
        <translation>漫游</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>roaming prepayment</source>
        <translation>漫游预存</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>real-name registration</source>
        <translation>实名登记</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>line type</source>
        <translation>线路类型</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>contract end</source>
        <translation>合约到期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>VIP</source>
        <translation>VIP</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>blacklist</source>
        <translation>黑名单</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>prepaid phase</source>
        <translation>预付费阶段</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Server&apos;s change: {a}. Other change: {b}.</source>
        <translation>服务器一方的变更：{a}。另一方的变更：{b}。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Decided by {who}; follow-up for {order}.</source>
        <translation>处理人 {who}；为订单 {order} 生成待办。</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>Deciding on the server...</source>
        <translation>正在服务器上处理...</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Decided: {status}; a follow-up was recorded for {order}.</source>
        <translation>已处理：{status}；已为订单 {order} 生成待办。</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidget</name>
    <message>
        <location filename="../../app/ui/data/sync_status.py" line="+67"/>
        <source>Sync: not yet</source>
        <translation>同步：尚未进行</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+135"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location line="-84"/>
        <source>Sync failed, {waiting} waiting{when}</source>
        <translation>同步失败，{waiting} 条待同步{when}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not synced yet, {waiting} waiting</source>
        <translation>尚未同步，{waiting} 条待同步</translation>
    </message>
    <message>
        <source>Synced {time}, {waiting} waiting</source>
        <translation type="vanished">{time} 已同步，{waiting} 条待同步</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Server: {server}</source>
        <translation>服务器：{server}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{n} sync issue(s) to look at</source>
        <translation>有 {n} 个同步问题待处理</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>, retry in {s} s</source>
        <translation>，{s} 秒后重试</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Syncing...</source>
        <translation>正在同步…</translation>
    </message>
    <message>
        <location line="-69"/>
        <source>{m} min</source>
        <translation>{m} 分钟</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{h} h {m} min</source>
        <translation>{h} 小时 {m} 分钟</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{d} d {h} h</source>
        <translation>{d} 天 {h} 小时</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{waiting} waiting</source>
        <translation>{waiting} 条待同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{waiting} waiting, oldest {age}</source>
        <translation>{waiting} 条待同步，最早的已等 {age}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Synced {time}</source>
        <translation>{time} 已同步</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>↑{up} ↓{down}</source>
        <translation>↑{up} ↓{down}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{n} order(s) not synced</source>
        <translation>{n} 张订单未能同步</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} conflict(s) waiting</source>
        <translation>{n} 个冲突待处理</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Last sync: up {up}; down {down}</source>
        <translation>上次同步：上传 {up}；下载 {down}</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Syncing... {percent}%</source>
        <translation>正在同步… {percent}%</translation>
    </message>
</context>
<context>
    <name>TariffTab</name>
    <message>
        <location filename="../../app/ui/supervisor/hall_tables.py" line="-134"/>
        <location line="+13"/>
        <source>Item</source>
        <translation>收费项目</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>In force today</source>
        <translation>今日执行</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Since</source>
        <translation>执行起始</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Waiting for its date</source>
        <translation>待生效</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>New amount (yuan)</source>
        <translation>新金额（元）</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>e.g. the operator&apos;s notice of the new tariff</source>
        <translation>例如：运营商的资费调整通知</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>From</source>
        <translation>生效日期</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Amount</source>
        <translation>金额</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Set by</source>
        <translation>设置人</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+8"/>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>New amounts apply from</source>
        <translation>新金额生效日期</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Orders of earlier days keep the amount they were priced with; a change from a later date waits for it. The history is kept.</source>
        <translation>此前各日的订单保留原计价金额；指定以后日期生效的调整，到期才生效。历史记录均予保留。</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>History</source>
        <translation>历史记录</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>default file</source>
        <translation>默认配置文件</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the hall&apos;s table</source>
        <translation>本厅收费表</translation>
    </message>
</context>
<context>
    <name>TodayOrders</name>
    <message>
        <location filename="../../app/ui/counter/today.py" line="+94"/>
        <source>Today at this counter: {count} orders, {amount} yuan</source>
        <translation>本柜台今日：{count} 笔，{amount} 元</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Print the selected order&apos;s papers again, marked as a reprint</source>
        <translation>补打所选订单的单据（标注“补打”）</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Printing {order_no} again...</source>
        <translation>正在补打 {order_no}…</translation>
    </message>
</context>
<context>
    <name>TodoEntry</name>
    <message>
        <location filename="../../app/ui/counter/todo_entry.py" line="+69"/>
        <source>My to-do list...</source>
        <translation>我的待办…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Everyone&apos;s to-do items, overdue first...</source>
        <translation>全部待办（逾期优先）…</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>My to-do list</source>
        <translation>我的待办</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>To do: %1, overdue: %2</source>
        <translation>待办：%1，逾期：%2</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>To do: %1</source>
        <translation>待办：%1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>My to-do list (%1)</source>
        <translation>我的待办（%1）</translation>
    </message>
</context>
<context>
    <name>TodoView</name>
    <message>
        <location filename="../../app/ui/counter/todo_view.py" line="+105"/>
        <source>Everyone&apos;s to-do items</source>
        <translation>全部待办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>My to-do list</source>
        <translation>我的待办</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Due</source>
        <translation>期限</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>What</source>
        <translation>类型</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Item</source>
        <translation>事项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Order</source>
        <translation>单号</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line</source>
        <translation>号码</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Owner</source>
        <translation>负责人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Handed over</source>
        <translation>转交次数</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Close with a result...</source>
        <translation>办结(&amp;C)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Hand over...</source>
        <translation>转交(&amp;H)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hand-over hi&amp;story</source>
        <translation>转交记录(&amp;S)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Refresh</source>
        <translation>刷新(&amp;R)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Follow-up</source>
        <translation>跟进事项</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Complaint: answer</source>
        <translation>投诉：答复</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Complaint: follow-up visit</source>
        <translation>投诉：回访</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Fault: restore service</source>
        <translation>障碍：修复</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>%1 open, %2 overdue</source>
        <translation>未办结 %1 项，逾期 %2 项</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>%1 (overdue)</source>
        <translation>%1（已逾期）</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 (today)</source>
        <translation>%1（今日到期）</translation>
    </message>
</context>
<context>
    <name>VerdictPage</name>
    <message>
        <location filename="../../app/ui/wizard/pages_verdict.py" line="+45"/>
        <source>Verdict</source>
        <translation>受理判断</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>Checking the request...</source>
        <translation>正在核查…</translation>
    </message>
    <message>
        <location line="+15"/>
        <location filename="../../app/ui/wizard/verdict_summary.py" line="+88"/>
        <source>Accepted: the request can be recorded</source>
        <translation>可以受理</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Rejected: a rule does not allow this request</source>
        <translation>不予受理：业务规则不允许</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Incomplete: something is still missing</source>
        <translation>资料不全：仍有缺项</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Next step: {step}</source>
        <translation>处理建议：{step}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Still missing:</source>
        <translation>仍缺：</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Pay the arrears of {amount} yuan first</source>
        <translation>先缴清欠费 {amount} 元</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Fee</source>
        <translation>费用项目</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Amount (yuan)</source>
        <translation>金额（元）</translation>
    </message>
    <message>
        <location filename="../../app/ui/wizard/verdict_summary.py" line="-45"/>
        <source>Total due: {amount} yuan</source>
        <translation>应收合计：{amount} 元</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Takes effect: {when}</source>
        <translation>生效时间：{when}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Campaign: {name}, {tier}. Terms: {terms}</source>
        <translation>营销活动：{name}，{tier}。活动条款：{terms}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Follow-up: {task}, due {due}</source>
        <translation>跟进事项：{task}，期限 {due}</translation>
    </message>
    <message>
        <location filename="../../app/ui/wizard/pages_verdict.py" line="+14"/>
        <source>Record in the intake log</source>
        <translation>记入受理登记</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next</source>
        <translation>下一步</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The request cannot be checked</source>
        <translation>无法核查此受理</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Recording the payment...</source>
        <translation>正在记录缴费…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Arrears paid: order {order_no}. Checked again with the line&apos;s new state.</source>
        <translation>欠费已缴清（订单 {order_no}），已按号码最新状态重新核查。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The payment was not recorded: {reason}</source>
        <translation>缴费未记录：{reason}</translation>
    </message>
</context>
<context>
    <name>VisitController</name>
    <message>
        <location filename="../../app/ui/wizard/controller.py" line="+406"/>
        <source>Printing module unavailable</source>
        <translation>打印模块不可用</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <location filename="../../app/ui/supervisor/record.py" line="-205"/>
        <source>Void order {order_no}</source>
        <translation>作废订单 {order_no}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voiding cannot be undone. The line goes back to its state before the order if nothing changed it since. Reason (required):</source>
        <translation>作废后不可撤销。若号码此后未再变更，将恢复到办理前的状态。作废原因（必填）：</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Void the order</source>
        <translation>确认作废</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Enter the reason.</source>
        <translation>请填写原因。</translation>
    </message>
</context>
<context>
    <name>errors</name>
    <message>
        <location filename="../../app/ui/shell/errors.py" line="+50"/>
        <source>Please check {field}: {problem}</source>
        <translation>请检查 {field}：{problem}</translation>
    </message>
</context>
<context>
    <name>labels</name>
    <message>
        <location filename="../../app/ui/kit/labels.py" line="+37"/>
        <source> or </source>
        <translation> 或 </translation>
    </message>
    <message>
        <location line="+3"/>
        <source>the presenter&apos;s own valid ID</source>
        <translation>办理人本人有效证件</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>the customer&apos;s signature</source>
        <translation>客户签字</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Rejected</source>
        <translation>不予受理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Incomplete</source>
        <translation>资料不全</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Abandoned</source>
        <translation>客户放弃</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Voided</source>
        <translation>已作废</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Cash</source>
        <translation>现金</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bank card</source>
        <translation>银行卡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mobile payment</source>
        <translation>移动支付</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Bank transfer</source>
        <translation>银行转账</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+54"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location line="-47"/>
        <source>Owner in person</source>
        <translation>机主本人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Agent</source>
        <translation>代办人</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clerk</source>
        <translation>营业员</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Supervisor</source>
        <translation>值班长</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hall manager</source>
        <translation>营业厅经理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Administrator</source>
        <translation>系统管理员</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Unit&apos;s agent</source>
        <translation>经办人</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Group customer</source>
        <translation>集团客户</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Personal customer</source>
        <translation>公众客户</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{amount} yuan</source>
        <translation>{amount} 元</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Lines</source>
        <translation>号码业务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>SIM card</source>
        <translation>用户卡</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Payments</source>
        <translation>缴费退费</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Line status</source>
        <translation>号码状态</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Account</source>
        <translation>账户与实名</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Queries</source>
        <translation>查询</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Customer care</source>
        <translation>客户服务</translation>
    </message>
</context>
<context>
    <name>workers</name>
    <message>
        <location filename="../../app/ui/kit/op_failures.py" line="+55"/>
        <source>The operation was cancelled.</source>
        <translation>操作已取消。</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The operation took too long. Please try again.</source>
        <translation>操作超时，请重试。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Access to a file or device was refused. Please call the administrator.</source>
        <translation>无权访问所需的文件或设备，请联系系统管理员。</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The connection to the server failed. Please check the network and try again.</source>
        <translation>无法连接服务器，请检查网络后重试。</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The database is busy. Please try again in a moment.</source>
        <translation>数据库正忙，请稍后重试。</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>An unexpected error occurred and the operation was not completed. Please try again; if it happens again, call the administrator.</source>
        <translation>发生意外错误，操作未完成。请重试；如再次出现，请联系系统管理员。</translation>
    </message>
    <message>
        <location filename="../../app/ui/kit/operations.py" line="+148"/>
        <source>Please wait…</source>
        <translation>请稍候…</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>Operation failed</source>
        <translation>操作失败</translation>
    </message>
</context>
</TS>
