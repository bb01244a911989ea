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
        <location line="+16"/>
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Hand over</source>
        <translation>转交</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>To staff no.</source>
        <translation>转交给（工号）</translation>
    </message>
    <message>
        <location line="+11"/>
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
    <name>CounterWindow</name>
    <message>
        <location filename="../../app/ui/counter/window.py" line="+164"/>
        <source>{hall} - counter {counter}</source>
        <translation>{hall} - {counter} 号柜台</translation>
    </message>
    <message>
        <location line="+2"/>
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
        <location line="+1"/>
        <source>The hall&apos;s day and sign-off...</source>
        <translation>营业日总览与日结签核…</translation>
    </message>
    <message>
        <location line="+1"/>
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
        <location line="+1"/>
        <source>Services</source>
        <translation>业务</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{name} ({staff_no}, {role}) at counter {counter}</source>
        <translation>{name}（{staff_no}，{role}）· {counter} 号柜台</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Find the customer first</source>
        <translation>请先查找客户</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{service} is for an existing line: find the customer (F1) first.</source>
        <translation>{service}需要针对已有号码办理：请先查找客户（F1）。</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>No shift open</source>
        <translation>未开班</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Shift open: {name}, {day}</source>
        <translation>已开班：{name}，{day}</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>a new customer</source>
        <translation>新客户</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Unfinished request</source>
        <translation>未完成的受理</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A request was left unfinished at this counter: {service} for {who}, by {clerk} at {when}. Resume it?</source>
        <translation>本柜台有一笔未完成的受理：{who} 的{service}，由{clerk}于 {when} 办理。是否继续办理？</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Resume</source>
        <translation>继续办理</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Customer gave up</source>
        <translation>客户放弃</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Later</source>
        <translation>稍后</translation>
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
        <location filename="../../app/ui/wizard/pages_start.py" line="+133"/>
        <source>Customer and line</source>
        <translation>客户与号码</translation>
    </message>
    <message>
        <location line="+12"/>
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
        <location line="+28"/>
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
        <location filename="../../app/ui/counter/customer_panel.py" line="+158"/>
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
        <location filename="../../app/ui/wizard/pages_input.py" line="+201"/>
        <source>Details</source>
        <translation>业务信息</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+26"/>
        <source>Fields marked * are required.</source>
        <translation>带 * 的为必填项。</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nothing to record for this service.</source>
        <translation>此业务无需填写其他信息。</translation>
    </message>
</context>
<context>
    <name>DocumentRow</name>
    <message>
        <location line="-175"/>
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
        <location line="+43"/>
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
</context>
<context>
    <name>DocumentsPage</name>
    <message>
        <location line="+22"/>
        <source>Papers checked</source>
        <translation>查验资料</translation>
    </message>
    <message>
        <location line="+26"/>
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
        <location filename="../../app/ui/wizard/pages_done.py" line="+30"/>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Preview</source>
        <translation>预览</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print</source>
        <translation>打印</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Reprint</source>
        <translation>补打</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Finish: next customer</source>
        <translation>完成，接待下一位</translation>
    </message>
    <message>
        <location line="+2"/>
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
        <location line="+4"/>
        <source>Recorded in the intake log: {decision}</source>
        <translation>已记入受理登记：{decision}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Papers saved: {files}</source>
        <translation>单据已保存：{files}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Printing again (marked as reprint)...</source>
        <translation>正在补打（标注“补打”）…</translation>
    </message>
</context>
<context>
    <name>EmptyDatabaseDialog</name>
    <message>
        <location filename="../../app/ui/shell/setup_dialogs.py" line="+166"/>
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
        <location filename="../../app/ui/shell/setup_dialogs.py" line="+21"/>
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
        <location line="+2"/>
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
    <name>IdCardReader</name>
    <message>
        <location filename="../../app/ui/devices/idcard_reader.py" line="+113"/>
        <source>The ID card could not be read. Please put the card on the reader again.</source>
        <translation>未能读取身份证，请将证件重新放到阅读器上。</translation>
    </message>
    <message>
        <location line="+163"/>
        <source>The ID card reader is not working. Please check its cable.</source>
        <translation>身份证阅读器无法工作，请检查连接线。</translation>
    </message>
</context>
<context>
    <name>IdCheck</name>
    <message>
        <location filename="../../app/ui/wizard/fields.py" line="+44"/>
        <source>number valid</source>
        <translation>号码校验通过</translation>
    </message>
    <message>
        <location line="+3"/>
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
        <location line="+3"/>
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
        <location filename="../../app/ui/shell/setup_dialogs.py" line="-205"/>
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
        <location filename="../../app/ui/counter/customer_panel.py" line="-125"/>
        <source>Balance {balance} · points {points}</source>
        <translation>余额 {balance} · 积分 {points}</translation>
    </message>
    <message>
        <location line="+23"/>
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
        <location filename="../../app/ui/shell/login.py" line="+106"/>
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
        <source>Opening the database...</source>
        <translation>正在打开数据库…</translation>
    </message>
    <message>
        <location line="+53"/>
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
    <name>OrderRecordDialog</name>
    <message>
        <location filename="../../app/ui/supervisor/record.py" line="+105"/>
        <source>Order {order_no}</source>
        <translation>订单 {order_no}</translation>
    </message>
    <message>
        <location line="+9"/>
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
        <location line="+6"/>
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
        <location line="+2"/>
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
        <location line="+16"/>
        <source>Order voided.</source>
        <translation>订单已作废。</translation>
    </message>
</context>
<context>
    <name>OrdersModel</name>
    <message>
        <location filename="../../app/ui/counter/today.py" line="+33"/>
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
    <name>PaymentDialog</name>
    <message>
        <location filename="../../app/ui/wizard/pages_payment.py" line="+140"/>
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
        <location line="+57"/>
        <source>Fees and payment</source>
        <translation>费用与收款</translation>
    </message>
    <message>
        <location line="+18"/>
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
        <location filename="../../app/ui/wizard/pages_start.py" line="+67"/>
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
        <location line="+3"/>
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
</context>
<context>
    <name>Printing</name>
    <message>
        <location filename="../../app/ui/devices/printer.py" line="+43"/>
        <source>The print spooler (lp) is not installed.</source>
        <translation>未安装打印队列程序（lp）。</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Nothing to print.</source>
        <translation>没有需要打印的单据。</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>No printer is set for {file} (see Settings). The PDF is kept: {path}</source>
        <translation>未设置用于 {file} 的打印机（见“设置”）。PDF 已保存：{path}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Printer {printer} was not found. The PDF is kept: {path}</source>
        <translation>找不到打印机 {printer}。PDF 已保存：{path}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Printing {file} failed ({error}). The PDF is kept: {path}</source>
        <translation>打印 {file} 失败（{error}）。PDF 已保存：{path}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Sent to the printer: {files}</source>
        <translation>已送打印：{files}</translation>
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
    <name>SearchPanel</name>
    <message>
        <location filename="../../app/ui/counter/search.py" line="+176"/>
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
        <location line="+16"/>
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
    <name>ServicePage</name>
    <message>
        <location filename="../../app/ui/wizard/pages_start.py" line="-286"/>
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
        <location filename="../../app/ui/wizard/wizard.py" line="+89"/>
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
        <location line="+63"/>
        <source>Service</source>
        <translation>业务受理</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Service: {name}</source>
        <translation>业务受理：{name}</translation>
    </message>
    <message>
        <location line="+69"/>
        <source>Not recorded</source>
        <translation>未能记录</translation>
    </message>
    <message>
        <location line="+28"/>
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
        <location filename="../../app/ui/shell/session.py" line="+88"/>
        <source>Cannot start</source>
        <translation>无法启动</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>The key file cannot be written there ({error}). Choose another place.</source>
        <translation>密钥文件无法写入该位置（{error}），请另选位置。</translation>
    </message>
    <message>
        <location line="+43"/>
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
        <source>Save</source>
        <translation>保存</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>The sync server must be a PostgreSQL address without a password, such as postgresql+psycopg://counter@hall-server/hall; leave it empty for no sync.</source>
        <translation>同步服务器须填写不含密码的 PostgreSQL 地址，例如 postgresql+psycopg://counter@hall-server/hall；留空则不同步。</translation>
    </message>
</context>
<context>
    <name>ShiftCloseDialog</name>
    <message>
        <location filename="../../app/ui/day/shift_close.py" line="+65"/>
        <location line="+59"/>
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
        <location line="+28"/>
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
        <location filename="../../app/ui/day/shift_open.py" line="+46"/>
        <location line="+40"/>
        <source>Open shift</source>
        <translation>开班</translation>
    </message>
    <message>
        <location line="-38"/>
        <source>Counter %1 · %2 (%3)</source>
        <translation>%1 柜台 · %2（%3）</translation>
    </message>
    <message>
        <location line="+7"/>
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
        <location line="+25"/>
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
        <location filename="../../app/ui/wizard/pages_signature.py" line="+27"/>
        <source>Customer&apos;s signature</source>
        <translation>客户签字</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The owner or agent signs to confirm the acceptance slip.</source>
        <translation>由机主或代办人签字确认业务受理单。</translation>
    </message>
    <message>
        <location line="+6"/>
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
        <location line="+36"/>
        <source>{service} for {customer}{line}. Presented by {who}. Total {amount} yuan.</source>
        <translation>{customer}{line} 办理{service}，办理人：{who}，合计 {amount} 元。</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Content hash bound to the signature: {digest}</source>
        <translation>签字绑定的内容摘要：{digest}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Submit</source>
        <translation>提交</translation>
    </message>
    <message>
        <location line="+8"/>
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
    <name>SupervisorDayView</name>
    <message>
        <location filename="../../app/ui/day/day_view.py" line="+83"/>
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
        <location line="+132"/>
        <source>Sign off the day</source>
        <translation>日结签核</translation>
    </message>
    <message>
        <location line="-119"/>
        <location line="+99"/>
        <source>Counter</source>
        <translation>柜台</translation>
    </message>
    <message>
        <location line="-99"/>
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
        <location line="+24"/>
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
        <location line="+6"/>
        <source>Not signed off yet</source>
        <translation>尚未日结签核</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Signed off by %1 at %2 (audit #%3)</source>
        <translation>已由 %1 于 %2 签核（审计序号 %3）</translation>
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
        <location line="+12"/>
        <source>Sign off %1? The day is then locked: later changes are recorded as corrections.</source>
        <translation>确认签核 %1？签核后当日锁定，之后的修改只能以更正记录登记。</translation>
    </message>
    <message>
        <location line="+26"/>
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
    <name>SyncStatusWidget</name>
    <message>
        <location filename="../../app/ui/data/sync_status.py" line="+58"/>
        <source>Sync: not yet</source>
        <translation>同步：尚未进行</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sync now</source>
        <translation>立即同步</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>Sync failed, {waiting} waiting{when}</source>
        <translation>同步失败，{waiting} 条待同步{when}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Not synced yet, {waiting} waiting</source>
        <translation>尚未同步，{waiting} 条待同步</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Synced {time}, {waiting} waiting</source>
        <translation>{time} 已同步，{waiting} 条待同步</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Server: {server}</source>
        <translation>服务器：{server}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} sync issue(s) to look at</source>
        <translation>有 {n} 个同步问题待处理</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>, retry in {s} s</source>
        <translation>，{s} 秒后重试</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Syncing...</source>
        <translation>正在同步…</translation>
    </message>
</context>
<context>
    <name>TodayOrders</name>
    <message>
        <location filename="../../app/ui/counter/today.py" line="+80"/>
        <source>Today at this counter: {count} orders, {amount} yuan</source>
        <translation>本柜台今日：{count} 笔，{amount} 元</translation>
    </message>
</context>
<context>
    <name>VerdictPage</name>
    <message>
        <location filename="../../app/ui/wizard/pages_verdict.py" line="+44"/>
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
        <location line="+4"/>
        <source>Total due: {amount} yuan</source>
        <translation>应收合计：{amount} 元</translation>
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
        <location line="+14"/>
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
        <location line="+7"/>
        <source>The payment was not recorded: {reason}</source>
        <translation>缴费未记录：{reason}</translation>
    </message>
</context>
<context>
    <name>VisitController</name>
    <message>
        <location filename="../../app/ui/wizard/controller.py" line="+344"/>
        <source>Printing module unavailable</source>
        <translation>打印模块不可用</translation>
    </message>
</context>
<context>
    <name>VoidDialog</name>
    <message>
        <location filename="../../app/ui/supervisor/record.py" line="-196"/>
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
        <location filename="../../app/ui/shell/errors.py" line="+39"/>
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
        <location line="+45"/>
        <source>Other</source>
        <translation>其他</translation>
    </message>
    <message>
        <location line="-38"/>
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
        <location line="+6"/>
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
        <location filename="../../app/ui/kit/op_failures.py" line="+47"/>
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
        <location line="+19"/>
        <source>An unexpected error occurred and the operation was not completed. Please try again; if it happens again, call the administrator.</source>
        <translation>发生意外错误，操作未完成。请重试；如再次出现，请联系系统管理员。</translation>
    </message>
    <message>
        <location filename="../../app/ui/kit/operations.py" line="+148"/>
        <source>Please wait…</source>
        <translation>请稍候…</translation>
    </message>
    <message>
        <location line="+48"/>
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
