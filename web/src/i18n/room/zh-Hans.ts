/** 简体中文: the room's reactions, host spotlight, host leaving and meeting history. */
import type { RoomCatalog } from './en.js';

export const roomZhHans: RoomCatalog = {
  reactions: {
    button: '发送表情回应',
    menu: '表情回应',
    thumbsUp: '点赞',
    heart: '爱心',
    joy: '笑哭',
    surprised: '惊讶',
    clap: '鼓掌',
    celebrate: '庆祝',
    reacted: '{{name}} 回应了：{{reaction}}',
    tooFast: '表情回应太频繁，请稍等片刻。',
    failed: '无法发送表情回应。',
  },
  spotlight: {
    set: '为所有人设为焦点',
    setFor: '为所有人将 {{name}} 设为焦点',
    remove: '取消焦点',
    setFailed: '无法将 {{name}} 设为焦点。',
    removeFailed: '无法取消焦点。',
    on: '{{name}} 已被设为所有人的焦点',
    onYou: '你已被设为所有人的焦点',
    off: '焦点已取消',
    badge: '焦点',
  },
  hostLeave: {
    title: '要离开会议吗？',
    body: '你是主持人。请把主持人身份移交给留下的人，或为所有人结束会议。',
    newHost: '新主持人',
    handOver: '移交并离开',
    handOverFailed: '无法将主持人身份移交给 {{name}}。',
    endForEveryone: '为所有人结束会议',
  },
  history: {
    endedOn: '已于{{day}}结束',
  },
};
